"""verify passes on the clean tree and names each of the seven planted defects by rule id, page and line."""


def problems_of(run, check):
    return [item for item in run.problems if item.check == check]


def test_clean_tree_passes_and_writes_the_job_summary(clean_run):
    run, summary = clean_run
    assert run.returncode == 0, run.output
    assert run.problems == []
    assert "Verify passed" in run.output
    for number in range(1, 8):
        assert "[ok  ] %d." % number in run.output
    assert summary.read_text(encoding="utf-8") == run.markdown
    assert "| :white_check_mark: | 7. Commands shown on the site run |" in run.markdown


def test_defective_copy_fails(defective):
    run, _ = defective
    assert run.returncode == 1, run.output
    assert "Verify FAILED" in run.output and "Verify FAILED" in run.markdown
    assert {item.check for item in run.problems} == set(range(1, 8))


def test_1_a_value_that_differs_from_the_rules(defective):
    run, where = defective
    found = [item for item in problems_of(run, 1) if "'14 GB'" in item.message]
    assert [(item.rule, item.page, item.line) for item in found] == [
        ("ram.total", "docs/requirements.md", where["wrong value"])
    ]
    assert "'12 GB'" in found[0].message


def test_1_a_value_missing_from_its_rules_section(defective):
    run, where = defective
    found = [item for item in problems_of(run, 1) if item.rule == "tmp.space"]
    assert [(item.page, item.line) for item in found] == [("docs/requirements.md", where["missing value"])]
    assert "min_free" in found[0].message and "10 GB" in found[0].message


def test_1_a_release_value_missing_from_that_release_page(defective):
    """FLUX's RAM of release 5.6.0 (a family the default release does not have) taken off the 5.6.0 page."""
    run, _ = defective
    found = [item for item in problems_of(run, 1) if "release 5.6.0" in item.message and "flux.min_ram" in item.message]
    assert [(item.rule, item.page) for item in found] == [
        ("gpu.vram", "site/releases/5.6.0/index.html (release 5.6.0)")
    ]
    assert "32 GB" in found[0].message and "missing from the rule's section (#gpu.vram)" in found[0].message


def test_1_a_release_value_that_differs_from_that_release(defective):
    run, _ = defective
    found = [item for item in problems_of(run, 1) if "'3.9 or 3.10'" in item.message]
    assert [(item.rule, item.page) for item in found] == [
        ("python.version", "site/releases/5.6.0/index.html (release 5.6.0)")
    ]
    assert "where the rules of release 5.6.0 say" in found[0].message and "'3.10 or 3.11'" in found[0].message


def test_2_a_value_typed_outside_a_macro(defective):
    run, where = defective
    assert [(item.rule, item.page, item.line) for item in problems_of(run, 2)] == [
        ("disk.free", "docs/installer.md", where["hard-coded"])
    ]
    assert "'50GB'" in problems_of(run, 2)[0].message


def test_3_a_rule_without_a_check(defective):
    run, _ = defective
    found = [item for item in problems_of(run, 3) if item.rule == "ram.total"]
    assert len(found) == 1 and "no check" in found[0].message
    assert found[0].page == "rules/requirements.yaml" and found[0].line


def test_3_a_check_of_a_rule_that_does_not_exist(defective):
    run, where = defective
    found = [item for item in problems_of(run, 3) if item.rule == "gpu.bogus"]
    assert any("check_bogus() is declared the check of a rule the rules do not have" in item.message for item in found)
    assert ("checks/evaluate/machine_checks.py", where["unknown rule"]) in [(item.page, item.line) for item in found]


def test_3_a_check_reading_a_probe_that_does_not_exist(defective):
    run, where = defective
    found = [item for item in problems_of(run, 3) if "'disks'" in item.message]
    assert {item.rule for item in found} == {"disk.ssd"}
    assert any("reads probe 'disks', which checks.probes does not have" in item.message for item in found)
    assert all(
        (item.page, item.line) == ("checks/evaluate/machine_checks.py", where["unknown probe"]) for item in found
    )


def test_3_a_check_reading_a_key_the_rules_do_not_have(defective):
    run, where = defective
    found = [item for item in problems_of(run, 3) if "min_free_space" in item.message]
    assert {item.rule for item in found} == {"tmp.space"}
    # Read statically from the source, with its line, and seen while evaluating the corpus.
    assert ("checks/evaluate/machine_checks.py", where["unknown key"]) in [(item.page, item.line) for item in found]
    assert any("fixture corpus" in item.message for item in found)


def test_4_finding_links_to_anchors_the_site_does_not_have(defective):
    run, _ = defective
    found = problems_of(run, 4)
    assert {item.rule for item in found} >= {"gpu.vram", "python.version", "tmp.space"}
    vram = [item for item in found if item.rule == "gpu.vram"][0]
    assert vram.page == "docs/requirements.md" and vram.line
    assert "#gpu-vram" in vram.message


def test_5_published_script_and_checksums_differ(defective):
    run, where = defective
    messages = {(item.page, item.message.split(" ")[0]) for item in problems_of(run, 5)}
    assert ("site/check.py", "differs") in messages
    assert ("site/check.py.sha256", "check.py.sha256") in messages
    stale = [item for item in problems_of(run, 5) if item.page == "docs/check.md"]
    assert [item.line for item in stale] == [where["stale sha on page"]]
    rebuilt = [item for item in problems_of(run, 5) if item.page == "site/check.py"][0]
    assert "checks.units" in rebuilt.message


def test_6_broken_links_anchors_and_leftover_template_text(defective):
    run, where = defective
    found = {(item.page, item.line) for item in problems_of(run, 6)}
    for defect in ("broken link", "broken anchor", "leftover"):
        assert ("docs/index.md", where[defect]) in found, defect
    assert any("#no-such-rule" in item.message for item in problems_of(run, 6))


def test_7_commands_that_do_not_run_as_shown(defective):
    run, where = defective
    found = {(item.page, item.line) for item in problems_of(run, 7)}
    assert ("docs/reference/cli.md", where["bad command"]) in found
    assert ("docs/check.md", where["bad option"]) in found
    bad = [item for item in problems_of(run, 7) if "--no-such-option" in item.message][0]
    assert "exit code 2" in bad.message


def test_verify_builds_strictly_so_a_broken_link_fails_it(project_root, tmp_path):
    """verify builds the site through the one build helper: --strict, never -q, which would let this pass."""
    from tests.verify.conftest import ProjectCopy, run_verify

    copy = ProjectCopy(project_root, tmp_path / "project")
    copy.append("docs/check.md", "\nSee [the guide](no-such-page.md).\n")
    run = run_verify(copy.root, tmp_path)
    assert run.returncode == 1
    assert "mkdocs build --strict failed" in run.output
    assert "no-such-page.md" in run.output
