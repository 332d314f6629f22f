"""The top-level data/ folder holds sample input a company uses with the console; each
sample is accepted as it is shipped."""

from pathlib import Path

from deskconsole.services.directory import parse_file

DATA = Path(__file__).resolve().parents[2] / "data"


def test_sample_resident_list_imports_without_a_bad_row():
    good, problems, encoding = parse_file(DATA / "residents_sample.csv", None)
    assert problems == [] and encoding == "utf-8"
    assert len(good) == 5
    assert {row["kind"] for row in good} == {"resident", "company", "staff"}
    assert good[0]["name"] == "王建国" and good[0]["unit"] == "3-1201"


def test_data_readme_points_to_the_shipped_catalogs_and_the_override_folder():
    text = (DATA / "README.md").read_text(encoding="utf-8")
    assert "deskconsole/data/" in text and "<config dir>/data" in text
