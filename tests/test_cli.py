from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from readctx.cli import main


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("READCTX_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("READCTX_MODEL", "off")


def read_lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def write_jsonl(path: Path, count: int, bad_every: int = 0) -> None:
    lines = []
    for number in range(count):
        if bad_every and number % bad_every == bad_every - 1:
            lines.append('{"id": "broken' if (number // bad_every) % 2 else '{"id": "x", "text": 5}')
        else:
            lines.append(json.dumps({"id": f"d{number}", "text": f"Officials said report {number} was wrong."}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_files_directories_and_jsonl_in_input_order(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "pages"
    (folder / "sub").mkdir(parents=True)
    (folder / "b.txt").write_text("Residents said the water was back.", encoding="utf-8")
    (folder / "sub" / "a.html").write_text(
        "<html><body><article><p>The governor added that the roads would reopen on Monday.</p>"
        "<p>Police said two people were hurt.</p></article></body></html>",
        encoding="utf-8",
    )
    (folder / "ignored.png").write_bytes(b"\x89PNG")
    lines = tmp_path / "docs.jsonl"
    lines.write_text('{"id": "j1", "text": "He said no."}\n', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["annotate", str(lines), str(folder), "-o", str(out)]) == 0
    records = read_lines(out)
    assert [r["id"] for r in records] == ["j1", f"{folder}/b.txt", f"{folder}/sub/a.html"]
    assert "text" in records[2] and "text" not in records[1]
    assert capsys.readouterr().err == ""


def test_malformed_lines_are_reported_and_the_rest_annotated(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "in.jsonl"
    write_jsonl(source, 40, bad_every=10)
    out = tmp_path / "out.jsonl"
    assert main(["annotate", str(source), "-o", str(out)]) == 1
    records = read_lines(out)
    assert len(records) == 40
    errors = [r for r in records if "error" in r]
    assert [r["where"] for r in errors] == [f"{source}:{n}" for n in (10, 20, 30, 40)]
    assert all(len(r["annotations"]) == 1 for r in records if "error" not in r)  # type: ignore[arg-type]
    stderr = capsys.readouterr().err.splitlines()
    assert stderr[0] == f"readctx: error: {source}:10: line 10: field 'text' must be a string, not a number"
    assert stderr[1].startswith(f"readctx: error: {source}:20: line 20: not valid JSON")


def test_missing_file_is_an_error_record(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    ok = tmp_path / "ok.txt"
    ok.write_text("Police said so.", encoding="utf-8")
    assert main(["annotate", str(tmp_path / "nope.txt"), str(ok), "-o", str(out)]) == 1
    first, second = read_lines(out)
    assert first["error"] == {
        "status": 400,
        "code": "invalid_input",
        "message": f"cannot read {tmp_path / 'nope.txt'}: No such file or directory",
    }
    assert second["id"] == str(ok)


def test_resume_after_a_kill_completes_without_duplicates(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    write_jsonl(source, 30)
    out = tmp_path / "out.jsonl"
    assert main(["annotate", str(source), "-o", str(out)]) == 0
    complete = out.read_text(encoding="utf-8").splitlines()
    # A kill mid-write: 12 whole lines and half of the 13th.
    out.write_text("\n".join(complete[:12]) + "\n" + complete[12][:40], encoding="utf-8")
    assert main(["annotate", str(source), "-o", str(out), "--resume"]) == 0
    ids = [r["id"] for r in read_lines(out)]
    assert ids == [f"d{n}" for n in range(30)]


def test_resume_retries_the_documents_that_failed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(
        '{"id": "a", "text": "Police said so."}\n{"id": "b", "text": 7}\n{"id": "c", "text": ["x"]}\n',
        encoding="utf-8",
    )
    page = tmp_path / "late.txt"
    out = tmp_path / "out.jsonl"
    assert main(["annotate", str(source), str(page), "-o", str(out)]) == 1
    assert [r["id"] for r in read_lines(out)] == ["a", f"{source}:2", f"{source}:3", str(page)]
    # Line 2 is fixed and the missing file appears; line 3 is still broken.
    source.write_text(
        '{"id": "a", "text": "Police said so."}\n{"id": "b", "text": "Officials said."}\n{"id": "c", "text": ["x"]}\n',
        encoding="utf-8",
    )
    page.write_text("Residents said the bridge had gone.", encoding="utf-8")
    capsys.readouterr()
    assert main(["annotate", str(source), str(page), "-o", str(out), "--resume"]) == 1
    records = read_lines(out)
    assert [r["id"] for r in records] == ["a", "b", f"{source}:3", str(page)]
    assert "error" not in records[1] and "error" not in records[3]
    assert capsys.readouterr().err.count("readctx: error:") == 1
    # Nothing left to do but the broken line: it is tried once more and stays one error record.
    assert main(["annotate", str(source), str(page), "-o", str(out), "--resume"]) == 1
    assert [r["id"] for r in read_lines(out)] == ["a", "b", str(page), f"{source}:3"]


def test_stdin_and_w3c(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO('{"id": "s", "text": "Officials said it was over."}\n'))
    assert main(["annotate", "-", "--format", "w3c"]) == 0
    collection = json.loads(capsys.readouterr().out)
    assert collection["type"] == "AnnotationCollection"
    assert collection["readctx:document"]["id"] == "s"
    assert collection["first"]["items"][0]["target"]["selector"][0]["exact"] == "said"


def test_token_prints_the_same_token(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["token"]) == 0
    first = capsys.readouterr().out.strip()
    assert main(["token"]) == 0
    assert capsys.readouterr().out.strip() == first and len(first) > 30


def test_a_bad_byte_costs_one_line_and_suffixes_are_case_blind(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_bytes(
        b'{"id": "a", "text": "Police said so."}\n{"id": "b", "text": "\xff"}\n{"id": "c", "text": "Ok."}\n'
    )
    page = tmp_path / "PAGE.HTML"
    page.write_text("<html><body><article><p>The governor added that roads would reopen.</p></article></body></html>")
    out = tmp_path / "out.jsonl"
    assert main(["annotate", str(source), str(page), "-o", str(out)]) == 1
    records = read_lines(out)
    assert [r["id"] for r in records] == ["a", f"{source}:2", "c", str(page)]
    assert records[1]["error"]["message"] == "line 2: not valid UTF-8"  # type: ignore[index]
    assert "text" in records[3]  # read as HTML, so the extracted text is returned


def test_resume_refuses_a_file_that_is_not_its_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "in.jsonl"
    write_jsonl(source, 3)
    out = tmp_path / "out.jsonl"
    assert main(["annotate", str(source), "-o", str(out)]) == 0
    ours = out.read_text(encoding="utf-8").splitlines(keepends=True)
    capsys.readouterr()
    for foreign in ("not json\n", '{"id": "d1", "x": 1}\n', '["a list"]\n'):
        # A complete line that readctx did not write, in the middle or last: nothing is touched.
        out.write_text(ours[0] + foreign, encoding="utf-8")
        assert main(["annotate", str(source), "-o", str(out), "--resume"]) == 2
        assert out.read_text(encoding="utf-8") == ours[0] + foreign
    assert capsys.readouterr().err == (
        f"readctx: error: {out}:2 is not a readctx output record; not resuming into this file\n" * 3
    )
    out.write_text(ours[0] + '["a li', encoding="utf-8")  # a line cut short by a kill is dropped
    assert main(["annotate", str(source), "-o", str(out), "--resume"]) == 0
    assert [r["id"] for r in read_lines(out)] == ["d0", "d1", "d2"]


def test_resume_counts_repeated_ids_and_reads_w3c_output(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(
        '{"id": "a", "text": "Police said so."}\n{"id": "b", "text": "Officials said."}\n'
        '{"id": "a", "text": "Residents said the bridge had gone."}\n',
        encoding="utf-8",
    )
    for output_format in ("json", "w3c"):
        out = tmp_path / f"out.{output_format}.jsonl"
        assert main(["annotate", str(source), "-o", str(out), "--format", output_format]) == 0
        complete = out.read_text(encoding="utf-8").splitlines(keepends=True)
        out.write_text(complete[0] + complete[1][:30], encoding="utf-8")  # killed while writing "b"
        assert main(["annotate", str(source), "-o", str(out), "--format", output_format, "--resume"]) == 0
        assert out.read_text(encoding="utf-8") == "".join(complete)  # the second "a" is not taken as done


def test_files_keep_their_bytes_crlf_and_bom(tmp_path: Path) -> None:
    page = tmp_path / "crlf.txt"
    page.write_bytes(b"Officials said.\r\nPolice said the talks collapsed.\r\n")
    feed = tmp_path / "bom.jsonl"
    feed.write_bytes(b'\xef\xbb\xbf{"id": "x", "text": "Police said so."}\n')
    out = tmp_path / "out.jsonl"
    assert main(["annotate", str(page), str(feed), "-o", str(out)]) == 0
    crlf, bom = read_lines(out)
    text = page.read_bytes().decode("utf-8")
    annotations = crlf["annotations"]
    assert isinstance(annotations, list)
    assert [(a["start"], a["end"]) for a in annotations if a["label"] != "hedge"] == [(10, 14), (24, 28)]
    assert all(text[a["start"] : a["end"]] == a["exact"] for a in annotations)
    assert bom["id"] == "x"


def test_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "in.jsonl"
    write_jsonl(source, 1)
    assert main(["annotate", str(source), "--resume"]) == 2
    assert main(["annotate", str(source), "-o", str(tmp_path / "missing" / "out.jsonl")]) == 2
    assert main(["annotate", str(source), "-o", str(tmp_path)]) == 2
    assert capsys.readouterr().err.splitlines() == [
        "readctx: error: --resume needs -o OUT: it skips the ids already in that file",
        f"readctx: error: cannot write {tmp_path / 'missing' / 'out.jsonl'}: no such directory",
        f"readctx: error: cannot write {tmp_path}: it is a directory",
    ]


def test_evaluate_is_reachable_from_the_cli(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["evaluate", "--help"])
    assert stopped.value.code == 0
    assert "--data" in capsys.readouterr().out


def test_evaluate_names_what_the_data_folder_lacks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "polnear" / "dev").mkdir(parents=True)
    with pytest.raises(SystemExit) as stopped:
        main(["evaluate", "--data", str(tmp_path)])
    assert stopped.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"readctx evaluate: error: {tmp_path} has no szeged-uncertainty/wiki.xml, ner/re3d-train.conll: "
        "--data must be the folder of the shared corpora"
    )


def test_model_flag_overrides_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("onnxruntime")
    pytest.importorskip("transformers")
    monkeypatch.setenv("READCTX_MODEL", "fast")
    source = tmp_path / "in.jsonl"
    write_jsonl(source, 1)
    out = tmp_path / "out.jsonl"
    models = {}
    for flags in ([], ["--model", "auto"], ["--model", "off"], ["--no-model"]):
        assert main(["annotate", str(source), "-o", str(out), "--no-index", *flags]) == 0
        models[" ".join(flags)] = [line["model"] for line in read_lines(out)]
    assert models == {
        "": [{"name": "readctx-minilm-l3-multitask", "version": "2026.12.03"}],
        "--model auto": [{"name": "readctx-minilm-multitask", "version": "2026.12.04"}],
        "--model off": [{"name": "readctx-rules", "version": "0.1.0"}],
        "--no-model": [{"name": "readctx-rules", "version": "0.1.0"}],
    }


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        # Python 3.12.8+ quotes the choices, earlier versions do not.
        (["--model", "large"], "argument --model: invalid choice: 'large' (choose from "),
        (["--no-model", "--model", "fast"], "argument --model: not allowed with argument --no-model"),
    ],
)
def test_model_flags_are_checked(flags: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    for command in (["serve"], ["annotate", "-"]):
        with pytest.raises(SystemExit) as stopped:
            main([*command, *flags])
        assert stopped.value.code == 2
        assert message in capsys.readouterr().err


def test_evaluate_takes_a_packaged_model_or_a_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["evaluate", "--data", str(tmp_path), "--model", "fast", "--model-dir", str(tmp_path)])
    assert stopped.value.code == 2
    assert "argument --model-dir: not allowed with argument --model" in capsys.readouterr().err
