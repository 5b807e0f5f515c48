from datetime import date

import pytest

from helpcenter.domain import AccountStatus, Role
from importer.records import RecordsRefused, parse, resolve_date

TODAY = date(2026, 11, 22)

GOOD = """\
accounts:
  - number: "100200300"
    name: Lotus
    plan: business
    region: india
    postal_code: "560001"
    dunning_since: -21d
    invoices:
      - {number: INV-1, amount: "10.00", currency: USD, due_date: -21d}
partners:
  - {domain: acme.example, name: Acme, tier: premium, data_center: eu, region: europe_uk}
"""


def test_relative_and_iso_dates():
    assert resolve_date("-21d", TODAY) == date(2026, 11, 1)
    assert resolve_date("+3d", TODAY) == date(2026, 11, 25)
    assert resolve_date("2026-01-31", TODAY) == date(2026, 1, 31)
    with pytest.raises(ValueError):
        resolve_date("yesterday", TODAY)


def test_good_file_loads_with_derived_status():
    loaded = parse(GOOD, TODAY)
    assert loaded.accounts[0].status is AccountStatus.SUSPENSION_WARNING
    assert loaded.invoices[0].amount.minor == 1000
    assert loaded.partners[0].domain == "acme.example"
    assert loaded.accounts[0].postal_code_digest != "560001"


def refusal(text: str, source: str = "<data>") -> RecordsRefused:
    """The whole-file refusal ``parse`` must raise for ``text``."""
    with pytest.raises(RecordsRefused) as error:
        parse(text, TODAY, source=source)
    return error.value


def test_every_bad_record_is_reported_with_its_line():
    bad = GOOD.replace("plan: business", "plan: platinum").replace('amount: "10.00"', "amount: 10.5")
    bad += '  - {domain: Bad Domain, name: X, tier: gold, data_center: eu, region: europe_uk}\n'
    problems = "\n".join(refusal(bad, "demo.yaml").problems)
    assert "demo.yaml:4: accounts.0.plan" in problems
    assert "demo.yaml:9: accounts.0.invoices.0.amount" in problems and "quoted decimal" in problems
    assert "demo.yaml:12: partners.1.domain" in problems
    assert "demo.yaml:12: partners.1.tier" in problems


def test_duplicates_and_money_errors():
    bad = GOOD + GOOD.split("partners:")[0].replace("accounts:\n", "")
    bad = bad.replace('amount: "10.00", currency: USD', 'amount: "10.001", currency: USD', 1)
    problems = "\n".join(refusal(bad.replace("partners:\n  - {domain: acme.example, name: Acme, tier: premium, "
                                              "data_center: eu, region: europe_uk}\n", "")).problems)
    assert "duplicate account 100200300" in problems
    assert "more decimals" in problems


def test_malformed_yaml_gives_a_line():
    assert refusal("accounts:\n  - number: [\n", "x.yaml").problems[0].startswith("x.yaml:")


def test_json_is_accepted():
    assert parse('{"accounts": [], "partners": []}', TODAY).accounts == []


def test_users_are_loaded_with_lower_cased_addresses_and_their_roles():
    text = GOOD.replace('    dunning_since: -21d\n', '    users:\n'
                        '      - {email: Priya@Lotus.example, role: owner}\n'
                        '      - {email: arjun@lotus.example, role: member}\n')
    account = parse(text, TODAY).accounts[0]
    assert account.users == (("priya@lotus.example", Role.OWNER), ("arjun@lotus.example", Role.MEMBER))
    assert parse(GOOD, TODAY).accounts[0].users == ()


def test_bad_users_are_reported_with_their_lines():
    text = GOOD.replace('    dunning_since: -21d\n', '    users:\n'
                        '      - {email: priya@lotus.example, role: owner}\n'
                        '      - {email: not-an-address, role: member}\n'
                        '      - {email: arjun@lotus.example, role: superuser}\n'
                        '      - {email: ravi@lotus.example}\n')
    error = refusal(text, "users.yaml")
    problems = "\n".join(error.problems)
    assert "users.yaml:9: accounts.0.users.1.email" in problems
    assert "users.yaml:10: accounts.0.users.2.role" in problems and "'owner', 'admin', 'billing'" in problems
    assert "users.yaml:11: accounts.0.users.3.role: Field required" in problems
    assert len(error.problems) == 3


def test_partners_list_the_customer_accounts_they_manage():
    text = GOOD.replace("region: europe_uk}", 'region: europe_uk, customers: ["100200300", "100200301"]}')
    partner = parse(text, TODAY).partners[0]
    assert partner.customers == frozenset({"100200300", "100200301"})
    assert partner.manages("100200300") and not partner.manages("100200302")
    assert parse(GOOD, TODAY).partners[0].customers == frozenset()


def test_bad_or_shared_customer_lists_are_reported_with_their_lines():
    text = GOOD.replace("region: europe_uk}", 'region: europe_uk, customers: ["100200300"]}')
    text += '  - {domain: other.example, name: O, tier: premium, data_center: eu, region: europe_uk,\n'
    text += '     customers: ["100200300", "12ab"]}\n'
    problems = "\n".join(refusal(text, "p.yaml").problems)
    assert "p.yaml:13: partners.1.customers.1: String should match pattern" in problems
    shared = text.replace(', "12ab"', "")
    assert "p.yaml:13: partners.1.customers.0: account 100200300 is already managed by acme.example" in "\n".join(
        refusal(shared, "p.yaml").problems)


def test_load_files_merges_valid_files_and_refuses_all_problems_at_once(tmp_path):
    from importer.loading import load_files, refusal_report, write

    good = tmp_path / "good.yaml"
    good.write_text(GOOD, encoding="utf-8")
    other = tmp_path / "other.yaml"
    other.write_text(GOOD.replace("100200300", "100200301").replace("acme.example", "globex.example"), encoding="utf-8")
    loaded = load_files([good, other], TODAY)
    assert [a.number for a in loaded.accounts] == ["100200300", "100200301"]
    assert [p.domain for p in loaded.partners] == ["acme.example", "globex.example"]
    assert not any(a.postal_code_digest for a in loaded.accounts)  # validation only: nothing signed
    with pytest.raises(ValueError, match="postal-code key"):
        write(loaded)

    bad = tmp_path / "bad.yaml"
    bad.write_text(GOOD.replace("plan: business", "plan: gold"), encoding="utf-8")
    with pytest.raises(RecordsRefused) as refused:
        load_files([good, bad, tmp_path / "missing.yaml"], TODAY)
    report = refusal_report(refused.value)
    assert report.startswith("Refused, nothing was written:")
    assert f"{bad}:4: accounts.0.plan" in report and f"{tmp_path / 'missing.yaml'}: cannot read" in report
