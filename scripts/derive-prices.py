#!/usr/bin/env python3
"""Derive Reprise's built-in price table from the litellm model price table.

Reads the litellm price table (a JSON object mapping model names to price
records) and writes Sources/Reprise/Pricing/BuiltInPriceTable.swift: a dated
table of per-million-token prices for the current models of the major
providers, keyed by the model id a client sends.

Usage:
    scripts/derive-prices.py [INPUT_JSON] [OUTPUT_SWIFT] [--as-of YYYY-MM-DD]
                             [--keep MODEL_ID ...]

INPUT_JSON defaults to ../shared/data/prices/litellm-model-prices.json relative
to the repository root; OUTPUT_SWIFT defaults to
Sources/Reprise/Pricing/BuiltInPriceTable.swift. Models whose deprecation_date
is before the --as-of date (default: today) are left out, except ids named
with --keep. Standard library only.
"""

import argparse
import datetime
import decimal
import json
import os
import re
import sys

# The litellm release the price table was taken from (see shared/data/README.md).
SOURCE_VERSION = "1.110.2"

# litellm_provider values we take, mapped to the provider name written out.
PROVIDERS = {
    "openai": "openai",
    "text-completion-openai": "openai",
    "anthropic": "anthropic",
    "gemini": "gemini",
    "mistral": "mistral",
    "deepseek": "deepseek",
    "xai": "xai",
    "cohere": "cohere",
    "cohere_chat": "cohere",
}

# Modes that are priced per token of text in and out.
MODES = {"chat", "completion", "embedding", "responses"}

# litellm name prefixes that are dropped so the key is the id a client sends.
# Any other "prefix/" name (azure/, bedrock/, vertex_ai/, ...) is left out.
STRIPPED_PREFIXES = {"openai", "anthropic", "gemini", "mistral", "deepseek", "xai", "cohere"}

# Which provider a bare model id belongs to, judged from the id itself; used
# only to choose between two entries that map to the same id.
OWNER_PATTERNS = [
    (re.compile(r"^(gpt-|o\d|chatgpt-|text-embedding-|davinci|babbage|computer-use)"), "openai"),
    (re.compile(r"^claude-"), "anthropic"),
    (re.compile(r"^(gemini-|gemma-|learnlm-)"), "gemini"),
    (re.compile(r"^(mistral-|codestral-|ministral-|pixtral-|magistral-|devstral-|open-mistral|open-mixtral)"), "mistral"),
    (re.compile(r"^deepseek-"), "deepseek"),
    (re.compile(r"^grok-"), "xai"),
    (re.compile(r"^(command|embed-|c4ai-)"), "cohere"),
]

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_INPUT = os.path.join(REPO_ROOT, "..", "shared", "data", "prices", "litellm-model-prices.json")
DEFAULT_OUTPUT = os.path.join(REPO_ROOT, "Sources", "Reprise", "Pricing", "BuiltInPriceTable.swift")
LICENSE_NAME = "LICENSE-litellm.txt"


def parse_date(text):
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError("expected a date as YYYY-MM-DD, got %r" % text)


def client_id(name):
    """The id a client sends for a litellm model name, or None to skip it."""
    if name.startswith("ft:"):
        return None
    if "/" in name:
        prefix, rest = name.split("/", 1)
        if prefix not in STRIPPED_PREFIXES or not rest or "/" in rest:
            return None
        return rest
    return name


def owner_of(name, key):
    """The provider a model id belongs to: its litellm prefix, else its name."""
    if "/" in name:
        return name.split("/", 1)[0]
    for pattern, owner in OWNER_PATTERNS:
        if pattern.match(key):
            return owner
    return None


def is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def per_million(value):
    """A per-token price as a short exact Swift decimal literal per million tokens."""
    amount = value * 1_000_000
    # Twelve significant digits drops float noise (2.4999999999999996 -> 2.5).
    text = format(decimal.Decimal("%.12g" % amount).normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("", "-0"):
        text = "0"
    return text


def optional_price(record, field):
    value = record.get(field)
    return per_million(value) if is_number(value) else "nil"


def is_deprecated(record, as_of):
    text = record.get("deprecation_date")
    if not isinstance(text, str):
        return False
    try:
        return datetime.date.fromisoformat(text) < as_of
    except ValueError:
        return False


def select(table, as_of, keep):
    """Map client id -> (litellm name, record), choosing one entry per id."""
    chosen = {}
    counts = {"deprecated": 0}
    for name in sorted(table):
        record = table[name]
        if not isinstance(record, dict):
            continue
        provider = record.get("litellm_provider")
        if provider not in PROVIDERS or record.get("mode") not in MODES:
            continue
        if not is_number(record.get("input_cost_per_token")):
            continue
        key = client_id(name)
        if key is None:
            continue
        if is_deprecated(record, as_of) and key not in keep:
            counts["deprecated"] += 1
            continue
        # Prefer the entry whose provider owns the model, then the entry whose
        # litellm name already is the client id; names are visited in sorted
        # order, so a remaining tie keeps the first name.
        rank = (PROVIDERS[provider] == owner_of(name, key), name == key)
        current = chosen.get(key)
        if current is None or rank > current[0]:
            chosen[key] = (rank, name, record)
    return {key: (name, record) for key, (_, name, record) in chosen.items()}, counts


def resolve_aliases(table, chosen):
    """Alias names (no price of their own) whose target was chosen, priced as the
    target; e.g. claude-sonnet-latest. An alias never replaces a priced entry."""
    aliases = {}
    for name in sorted(table):
        record = table[name]
        if not isinstance(record, dict) or "alias_of" not in record:
            continue
        key = client_id(name)
        target = record["alias_of"]
        if key is None or key in chosen or not isinstance(target, str):
            continue
        target_key = client_id(target)
        if target_key in chosen:
            aliases[key] = chosen[target_key]
    return aliases


def copyright_line(license_path):
    with open(license_path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip().startswith("Copyright"):
                return line.strip()
    raise SystemExit("no Copyright line in %s" % license_path)


def swift_string(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def source_label(input_path):
    """The input's path as written in the header, free of this machine's layout."""
    base = os.path.dirname(REPO_ROOT)
    relative = os.path.relpath(os.path.abspath(input_path), base)
    if relative.startswith(".."):
        return os.path.basename(input_path)
    return relative.replace(os.sep, "/")


def render(entries, as_of, copyright_text, source_path):
    date = as_of.isoformat()
    holder = copyright_text
    lines = [
        "// Generated by scripts/derive-prices.py \u2014 do not edit by hand; run the script to refresh.",
        "// Source: litellm model price table (litellm %s, MIT licence, %s)," % (SOURCE_VERSION, holder),
        "// as found in %s; prices are per million tokens in US dollars." % source_path,
        "// As of: %s." % date,
        "",
        "extension PriceTable {",
        "    /// The date the built-in prices were taken from their source.",
        "    public static let builtInDate = %s" % swift_string(date),
        "    /// Where the built-in prices come from.",
        "    public static let builtInSource = %s" % swift_string("litellm model price table %s (MIT)" % SOURCE_VERSION),
        "    /// The built-in prices, per million tokens, keyed by the model id a client sends.",
        "    static let builtInPrices: [String: ModelPrice] = [",
    ]
    for key in sorted(entries):
        _, record = entries[key]
        output = record.get("output_cost_per_token")
        fields = [
            "provider: %s" % swift_string(PROVIDERS[record["litellm_provider"]]),
            "input: %s" % per_million(record["input_cost_per_token"]),
            "cachedInput: %s" % optional_price(record, "cache_read_input_token_cost"),
            "cacheWrite: %s" % optional_price(record, "cache_creation_input_token_cost"),
            "cacheWriteOneHour: %s" % optional_price(record, "cache_creation_input_token_cost_above_1hr"),
            "output: %s" % (per_million(output) if is_number(output) else "0"),
        ]
        lines.append("        %s: ModelPrice(%s)," % (swift_string(key), ", ".join(fields)))
    lines += ["    ]", "}", ""]
    return "\n".join(lines)


def main(argv):
    parser = argparse.ArgumentParser(description="Generate Reprise's built-in price table from litellm's.")
    parser.add_argument("input", nargs="?", default=DEFAULT_INPUT, help="litellm model price JSON")
    parser.add_argument("output", nargs="?", default=DEFAULT_OUTPUT, help="Swift file to write")
    parser.add_argument("--as-of", type=parse_date, default=datetime.date.today(),
                        help="table date; models deprecated before it are left out (default: today)")
    parser.add_argument("--keep", action="append", default=[], metavar="MODEL_ID",
                        help="keep this client id even if deprecated before --as-of (repeatable)")
    args = parser.parse_args(argv)

    with open(args.input, encoding="utf-8") as handle:
        table = json.load(handle)
    license_path = os.path.join(os.path.dirname(os.path.abspath(args.input)), LICENSE_NAME)
    copyright_text = copyright_line(license_path)

    chosen, counts = select(table, args.as_of, set(args.keep))
    aliases = resolve_aliases(table, chosen)
    entries = dict(chosen)
    entries.update(aliases)

    text = render(entries, args.as_of, copyright_text, source_label(args.input))
    directory = os.path.dirname(os.path.abspath(args.output))
    os.makedirs(directory, exist_ok=True)
    with open(args.output, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)

    per_provider = {}
    for _, record in entries.values():
        provider = PROVIDERS[record["litellm_provider"]]
        per_provider[provider] = per_provider.get(provider, 0) + 1
    print("wrote %d models to %s (as of %s):" % (len(entries), args.output, args.as_of.isoformat()),
          file=sys.stderr)
    for provider in sorted(per_provider):
        print("  %-10s %d" % (provider, per_provider[provider]), file=sys.stderr)
    print("  (%d aliases resolved; %d entries left out as deprecated)" % (len(aliases), counts["deprecated"]),
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
