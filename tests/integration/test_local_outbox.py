"""The local outbox page shows each e-mail as its recipient sees it: HTML and text, with its language."""

from __future__ import annotations

import html
import re

import requests

from tests.support.text import found


def test_the_outbox_shows_html_and_text_in_each_recipients_language(stack):
    stack.delivered()  # the deliverer has sent every promised message
    page = requests.get(f"{stack.url}/_local/outbox", timeout=10).text
    articles = re.findall(r"<article class='mail' lang='(\w*)'.*?</article>", page, re.S)
    assert {"en", "vi", "it", "fr"} <= set(articles)  # the start-of-day dunning notices of the demo accounts
    vietnamese = found(r"<article class='mail' lang='vi'.*?</article>", page, re.S).group(0)
    frame = found(r'srcdoc="([^"]*)"', vietnamese).group(1)
    assert '<html lang="vi">' in html.unescape(frame) and " sandbox " in vietnamese
    text = html.unescape(found(r"<pre class='mail-text'>(.*?)</pre>", vietnamese, re.S).group(1))
    assert text.startswith("Xin chào Saigon Green Logistics,")
    assert f"{stack.url}/vi/forms/account-status/" in text and "INV-5001" in text
