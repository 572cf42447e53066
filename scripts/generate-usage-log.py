#!/usr/bin/env python3
"""Writes a synthetic LLM usage log (OpenAI-style JSONL) with known repetition, for measuring the analyzer.

Each line is a chat-completion request body with `usage` and a `created` timestamp. Prompts are drawn with a
Zipf-like popularity from a pool of templates filled with topics (so some repeat exactly, some only after
folding case and punctuation, most never), a share of them mention the present or carry an e-mail address,
and a long shared system prompt lets provider prefix caching show.

Usage: scripts/generate-usage-log.py LINES [--days D] [--seed S] > log.jsonl
"""
import argparse
import json
import random
import sys

TOPICS = ["shipping", "refunds", "passwords", "invoices", "the pro plan", "data export", "two-factor login",
          "gift cards", "student discounts", "order tracking", "the mobile app", "account deletion"]
TEMPLATES = ["How do I {}?", "What is your policy on {}?", "Can you explain {} to me?", "I have a question about {}.",
             "Where can I read about {}?", "Is there a fee for {}?"]
# Shared by every request. The usage counts below give it about 1,200 tokens (the text is kept short so a
# million lines stay near 500 MB), enough for provider prompt caching, which starts at 1,024.
SYSTEM = "You are the support assistant of an online shop. Answer briefly and politely. " * 4
MODELS = [("gpt-4o-mini", 0.7), ("gpt-4o", 0.2), ("claude-sonnet-4-5", 0.1)]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("lines", type=int)
    parser.add_argument("--days", type=float, default=7.0)
    parser.add_argument("--seed", type=int, default=1)
    arguments = parser.parse_args()
    generator = random.Random(arguments.seed)
    popular = [template.format(topic) for template in TEMPLATES for topic in TOPICS]
    weights = [1 / (rank + 1) ** 1.1 for rank in range(len(popular))]
    start = 1_764_000_000
    span = arguments.days * 86_400
    out = sys.stdout
    for index in range(arguments.lines):
        roll = generator.random()
        if roll < 0.45:
            prompt = generator.choices(popular, weights)[0]
        elif roll < 0.55:
            prompt = generator.choices(popular, weights)[0].lower().rstrip("?.")  # a normalized repeat
        elif roll < 0.60:
            prompt = f"What is the latest news about {generator.choice(TOPICS)} today?"
        elif roll < 0.62:
            prompt = f"Please send the invoice to customer{generator.randrange(10**6)}@example.com"
        else:
            prompt = f"Question {generator.randrange(10**12)} about {generator.choice(TOPICS)}"
        model = generator.choices([m for m, _ in MODELS], [w for _, w in MODELS])[0]
        prompt_tokens = 1200 + len(prompt) // 4
        completion_tokens = generator.randrange(40, 400)
        line = {
            "created": int(start + span * index / max(1, arguments.lines)),
            "model": model,
            "messages": [{"role": "system", "content": SYSTEM}, {"role": "user", "content": prompt}],
            "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                      "total_tokens": prompt_tokens + completion_tokens},
        }
        out.write(json.dumps(line, separators=(",", ":")))
        out.write("\n")


if __name__ == "__main__":
    main()
