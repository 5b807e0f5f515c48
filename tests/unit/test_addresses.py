"""Requester addresses: refused characters, each with its code, and the one normalisation."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpcenter.rules.addresses import BIDI_CHARACTERS, AddressProblem, normalize, same_address


@pytest.mark.parametrize(("address", "code"), [
    ("a\x00b@x.example", "control_character"),
    ("ab\n@x.example", "control_character"),
    ("a\u202eb@x.example", "bidi_character"),
    ("ab@x\u2067.example", "bidi_character"),
    ("a\u200bb@x.example", "invisible_character"),
    ("a\ufeffb@x.example", "invisible_character"),
    ("amminiſtrazione@x.example", "compatibility_character"),
    ("ｊｏｅ@x.example", "compatibility_character"),
    ("pаypal@x.example", "mixed_script"),
    ("ใจa@x.example", "mixed_script"),
    ("no-at-sign.example", "invalid"),
    ("a@b", "invalid"),
])
def test_refused_addresses_say_why(address, code):
    with pytest.raises(AddressProblem) as problem:
        normalize(address)
    assert problem.value.code == code and problem.value.message


@pytest.mark.parametrize(("address", "normalised"), [
    ("Ana@BluePeak-Solutions.Example", "ana@bluepeak-solutions.example"),
    ("  li@summit.example ", "li@summit.example"),
    ("ใจดี@x.example", "ใจดี@x.example"),
    ("Straße@x.example", "straße@x.example"),
    ("やまだ太郎@x.example", "やまだ太郎@x.example"),  # kana and kanji are one writing system
])
def test_accepted_addresses_normalise(address, normalised):
    assert normalize(address) == normalised


def test_comparison_uses_the_normalised_form_only():
    assert same_address("Ana@Bluepeak.example", "ana@BLUEPEAK.example")
    assert not same_address("strasse@x.example", "straße@x.example")  # no casefold
    assert not same_address("amminiſtrazione@x.example", "amministrazione@x.example")  # refused, equals nothing


@given(st.text(min_size=1, max_size=8, alphabet=st.characters(codec="utf-8")), st.sampled_from(sorted(BIDI_CHARACTERS)))
def test_a_bidi_character_anywhere_is_refused(text, bidi):
    with pytest.raises(AddressProblem):
        normalize(f"{text}{bidi}x@x.example")
