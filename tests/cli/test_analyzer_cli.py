"""The analyzer's commands as a user runs them: the real `reprise` binary on log files."""
import json
import os
import subprocess

BINARY = os.environ.get("REPRISE_BINARY", ".build/debug/reprise")


def reprise(*arguments):
    return subprocess.run([BINARY, *arguments], capture_output=True, text=True, timeout=120)


def chat_line(question, answer=None, model="gpt-4o-mini", created=1764000000):
    line = {
        "created": created,
        "model": model,
        "messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": question}],
        "usage": {"prompt_tokens": 20, "completion_tokens": 5, "total_tokens": 25},
    }
    if answer is not None:
        line["response"] = {"choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": answer}}]}
    return json.dumps(line)


def write_log(path, lines):
    path.write_text("\n".join(lines) + "\n")
    return str(path)


def test_export_writes_training_and_validation_chat_jsonl(tmp_path):
    log = write_log(tmp_path / "log.jsonl", [chat_line(f"Question {n}?", f"Answer {n}.", created=1764000000 + n) for n in range(200)]
                    + [chat_line("Question 7?", "A second answer to a repeated prompt.")])
    output = tmp_path / "train.jsonl"
    result = reprise("export-finetune", log, "--output", str(output), "--validation-share", "0.2")
    assert result.returncode == 0, result.stderr
    training = [json.loads(line) for line in output.read_text().splitlines()]
    validation = [json.loads(line) for line in (tmp_path / "train-validation.jsonl").read_text().splitlines()]
    assert len(training) + len(validation) == 200
    assert 20 <= len(validation) <= 60
    for example in training + validation:
        roles = [message["role"] for message in example["messages"]]
        assert roles == ["system", "user", "assistant"]
    assert "left out 1: same prompt as an earlier example" in result.stdout


def test_export_refuses_to_replace_files_and_explains_missing_answers(tmp_path):
    without_answers = write_log(tmp_path / "plain.jsonl", [chat_line("Hi?") for _ in range(3)])
    result = reprise("export-finetune", without_answers, "--output", str(tmp_path / "out.jsonl"))
    assert result.returncode != 0
    assert "no answer bodies" in result.stderr
    assert "request_log.bodies" in result.stderr
    assert not (tmp_path / "out.jsonl").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["plain.jsonl"]

    existing = tmp_path / "existing.jsonl"
    existing.write_text("keep me\n")
    answered = write_log(tmp_path / "answered.jsonl", [chat_line("Hi?", "Hello.")])
    result = reprise("export-finetune", answered, "--output", str(existing))
    assert result.returncode != 0
    assert "already exists" in result.stderr
    assert existing.read_text() == "keep me\n"
    assert reprise("export-finetune", answered, "--output", str(existing), "--force").returncode == 0
    assert json.loads(existing.read_text().splitlines()[0])["messages"][-1]["content"] == "Hello."


def test_analyze_reports_repeats_and_names_bad_lines(tmp_path):
    lines = [chat_line("Opening hours?", created=1764000000 + 60 * n) for n in range(6)] + ["{not json"] + [chat_line("Refund?", created=1764000500)]
    log = write_log(tmp_path / "log.jsonl", lines)
    result = reprise("analyze", "--json", "--ft-epochs", "4", log)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["requests"] == 7
    assert abs(report["repetition"]["exact_repeat_rate"] - 5 / 7) < 1e-9
    assert report["fine_tuning"]["epochs"] == 4
    assert report["fine_tuning"]["training_price_per_million"] == 3
    assert f"{log}:7" in result.stderr


def test_analyze_fails_clearly_on_a_missing_file(tmp_path):
    result = reprise("analyze", str(tmp_path / "nope.jsonl"))
    assert result.returncode != 0
    assert "nope.jsonl" in result.stderr


def test_analyze_semantic_counts_paraphrases_and_keeps_order_numbers_apart(tmp_path):
    model = os.environ.get("REPRISE_TEST_MODEL_DIR")
    if not model:
        import pytest
        pytest.skip("REPRISE_TEST_MODEL_DIR is not set (scripts/test.sh installs the model and sets it)")
    questions = ["How do I reset my password?", "How can I reset my password?", "What's the status of order 48213?",
                 "What's the status of order 48231?", "How do I reset my password?", "Write a haiku about autumn leaves"]
    log = write_log(tmp_path / "log.jsonl", [json.dumps({"created": 1764000000 + n, "model": "gpt-4o-mini",
                                                         "messages": [{"role": "user", "content": q}]}) for n, q in enumerate(questions)])
    result = reprise("analyze", "--json", "--semantic", "--models-directory", model, log)
    assert result.returncode == 0, result.stderr
    semantic = json.loads(result.stdout)["semantic"]
    assert semantic["sampled_prompts"] == 5 and semantic["sampled_requests"] == 6
    assert semantic["near_duplicate_prompts"] == 1
    assert semantic["vetoed_by_guards"] == 1
    assert semantic["examples"][0]["matched"] == "How do I reset my password?"

    missing = reprise("analyze", "--semantic", "--models-directory", str(tmp_path / "no-model"), log)
    assert missing.returncode != 0
    assert "reprise model pull" in missing.stderr
