#!/usr/bin/env python3
"""Writes the reference fixture of a built-in model: for each text below, its token ids and its embedding from
sentence-transformers (the reference implementation), one JSON object a line.

    python scripts/eval/reference-embeddings.py MODEL_DIR > Tests/RepriseSemanticTests/Fixtures/<model>-reference.jsonl

MODEL_DIR is a sentence-transformers model directory (such as an unpacked all-mpnet-base-v2). Needs the
sentence-transformers package (and PyTorch); the tests themselves only read the fixture.
"""
import json
import sys

# Written for these fixtures: short questions like those a gateway sees, accents, CJK, emoji (unknown words),
# punctuation, numbers, code, literal special tokens, and one text long enough to be cut at the model's limit.
TEXTS = [
    "How do I reset my password?",
    "Is it safe to take ibuprofen during pregnancy?",
    "Is it not safe to take ibuprofen during pregnancy?",
    "Where is my order #48213?",
    "Café crème, naïve résumé, Ångström and Øresund.",
    "東京の天気は？ 今日は晴れです。",
    "I love this 😀🚀 so much!!!",
    "Convert 100 USD to EUR at today's rate.",
    "def add(a, b): return a + b  # what does this do?",
    "<s> literal tokens </s> and <mask> in [UNK] text",
    "HELLO   world\tand\nnew lines",
    "summarise: " + " ".join(f"Sentence {i} talks about caching answers of language models." for i in range(60)),
]


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(sys.argv[1], device="cpu")
    vectors = model.encode(TEXTS, normalize_embeddings=True, batch_size=4)
    for text, vector in zip(TEXTS, vectors):
        ids = model.tokenizer(text, truncation=True, max_length=model.max_seq_length)["input_ids"]
        line = {"text": text, "token_ids": ids, "embedding": [round(float(x), 7) for x in vector]}
        print(json.dumps(line, ensure_ascii=False))


if __name__ == "__main__":
    main()
