#!/usr/bin/env python3
"""Writes the JSON parser conformance corpus in Tests/RepriseTests/Fixtures/json-conformance/.

The cases follow the naming of Nicolas Seriot's JSONTestSuite but were written for this project:
    y_*.json  must be accepted by JSONParser
    n_*.json  must be refused
    i_*.json  implementation-defined: accepting or refusing are both fine, crashing is not

Each case is exact bytes (invalid UTF-8, NUL, BOMs and control characters included). The script is
deterministic: it removes the y_/n_/i_ files it no longer defines and rewrites the others, so running it
twice leaves the same tree. Run from anywhere:

    python3 scripts/eval/json-conformance-fixtures.py
"""

import os
import re
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUTPUT = os.path.join(REPO, "Tests", "RepriseTests", "Fixtures", "json-conformance")
NAME = re.compile(r"^[yni]_[a-z0-9_+\-.]+\.json$")

# JSONParser.maximumDepth
MAX_DEPTH = 512

CASES = []


def case(name, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    CASES.append((name + ".json", data))


def nested_arrays(depth):
    return b"[" * depth + b"]" * depth


def nested_objects(depth):
    # `depth` objects: depth - 1 of them holding the next under key "a", the innermost empty.
    return b'{"a":' * (depth - 1) + b"{}" + b"}" * (depth - 1)


# ---------------------------------------------------------------------------------------------------
# y_: must be accepted
# ---------------------------------------------------------------------------------------------------

# Top-level values
case("y_toplevel_number", "1")
case("y_toplevel_negative_number", "-42")
case("y_toplevel_string", '"x"')
case("y_toplevel_empty_string", '""')
case("y_toplevel_null", "null")
case("y_toplevel_true", "true")
case("y_toplevel_false", "false")
case("y_toplevel_number_in_whitespace", " \t2\r\n")

# Arrays
case("y_array_empty", "[]")
case("y_array_empty_with_whitespace", "[ \n\t\r ]")
case("y_array_of_empty_arrays", "[[],[],[]]")
case("y_array_single_string", '["asd"]')
case("y_array_mixed_types", '[1,"a",null,true,false,{},[],-0.5e3]')
case("y_array_nested_mixture", '[{"a":[1,{"b":null}]},[[{}]],"x",[true,[false,[null]]]]')
case("y_array_many_elements", "[" + ",".join(str(i) for i in range(1000)) + "]")

# Objects
case("y_object_empty", "{}")
case("y_object_empty_with_whitespace", "{ \n }")
case("y_object_basic", '{"a":"b"}')
case("y_object_several_members", '{"a":1,"b":2,"c":3}')
case("y_object_nested_objects", '{"a":{"b":{"c":{}}}}')
case("y_object_array_value", '{"a":[1,2,3],"b":[]}')
case("y_object_duplicated_key", '{"a":1,"a":2}')
case("y_object_duplicated_key_nested", '{"a":{"x":1},"a":{"y":2}}')
case("y_object_empty_key", '{"":0}')
case("y_object_keys_differing_in_case", '{"a":1,"A":2}')
case("y_object_key_with_escapes", '{"\\n\\"\\\\":1}')
case("y_object_key_with_escaped_nul", '{"foo\\u0000bar":42}')
case("y_object_key_unicode", '{"clé":"valeur","键":"值"}')
case("y_object_long_key", '{"' + "k" * 5000 + '":1}')
case("y_object_many_members", "{" + ",".join('"k%d":%d' % (i, i) for i in range(1000)) + "}")

# Whitespace (only space, tab, LF and CR are insignificant)
case("y_whitespace_everywhere", ' \t\r\n[ \t\r\n1 \t\r\n, \t\r\n{ \t\r\n"a" \t\r\n: \t\r\nnull \t\r\n} \t\r\n] \t\r\n')
case("y_whitespace_crlf_lines", '{\r\n  "a": [\r\n    1,\r\n    2\r\n  ]\r\n}\r\n')
case("y_whitespace_tabs_as_separators", '{\t"a"\t:\t[\t1\t,\t2\t]\t}')
case("y_whitespace_many_newlines", "\n" * 200 + "[\n" + "\n" * 200 + "0" + "\n" * 200 + "]" + "\n" * 200)

# Numbers
case("y_number_zero", "[0]")
case("y_number_negative_zero", "[-0]")
case("y_number_negative_zero_fraction", "[-0.0]")
case("y_number_negative_int", "[-123]")
case("y_number_simple_real", "[123.456789]")
case("y_number_fraction_below_one", "[0.5]")
case("y_number_exponent_lowercase", "[1e3]")
case("y_number_exponent_uppercase", "[1E3]")
case("y_number_exponent_lowercase_plus", "[1e+3]")
case("y_number_exponent_lowercase_minus", "[1e-3]")
case("y_number_exponent_uppercase_plus", "[1E+2]")
case("y_number_zero_exponent", "[0e0]")
case("y_number_exponent_leading_zeros", "[1e00001]")
case("y_number_fraction_and_exponent", "[1.5e10]")
case("y_number_negative_fraction_and_exponent", "[-12.34E-56]")
case("y_number_very_long_integer", "[" + "1234567890" * 10 + "]")
case("y_number_int64_max", "[9223372036854775807]")
case("y_number_int64_min", "[-9223372036854775808]")
case("y_number_uint64_max_plus_one", "[18446744073709551616]")
case("y_number_1e308", "[1e308]")
case("y_number_beyond_double_range", "[1.5e999]")
case("y_number_1e-400", "[1e-400]")
case("y_number_nine_digit_exponent", "[1e999999999]")
case("y_number_long_fraction", "[0.000000000000000000000000000001234567890123456789]")
case("y_number_pi_many_digits", "[3.14159265358979323846264338327950288419716939937510e-10]")

# Strings
case("y_string_every_escape", '["\\"\\\\\\/\\b\\f\\n\\r\\t"]')
case("y_string_escaped_slash", '["a\\/b"]')
case("y_string_unescaped_slash", '["a/b"]')
case("y_string_escaped_backslashes", '["\\\\\\\\"]')
case("y_string_unicode_escape_ascii", '["\\u0041"]')
case("y_string_unicode_escape_lowercase_hex", '["\\u00e9"]')
case("y_string_unicode_escape_uppercase_hex", '["\\u00E9\\uABCD"]')
case("y_string_unicode_escape_nul", '["\\u0000"]')
case("y_string_unicode_escape_controls", '["\\u0001\\u001f\\u007f"]')
case("y_string_unicode_escape_bom", '["\\uFEFF"]')
case("y_string_unicode_escape_noncharacter", '["\\uFFFF"]')
case("y_string_surrogate_pair_emoji", '["\\uD83D\\uDE00"]')
case("y_string_surrogate_pair_lowercase", '["\\ud834\\udd1e"]')
case("y_string_surrogate_pair_max_code_point", '["\\uDBFF\\uDFFF"]')
case("y_string_raw_accented", '["café naïve Ünïcödé"]')
case("y_string_raw_cjk", '["日本語 中文 한국어"]')
case("y_string_raw_emoji", '["😀🎉👍🏽"]')
case("y_string_raw_u2028_u2029", '["a\u2028b\u2029c"]')
case("y_string_raw_del", b'["\x7f"]')
case("y_string_raw_bom_inside", b'["\xef\xbb\xbfx"]')
case("y_string_raw_noncharacter", b'["\xef\xbf\xbf\xef\xbf\xbe"]')
case("y_string_raw_utf8_boundaries", b'["\xc2\x80 \xdf\xbf \xe0\xa0\x80 \xed\x9f\xbf \xee\x80\x80 \xf0\x90\x80\x80 \xf4\x8f\xbf\xbf"]')
case("y_string_raw_and_escaped_unicode", '["é\\u00e9"]')
case("y_string_comment_like", '["// not a comment /* nor this */ # nor this"]')
case("y_string_json_inside", '["{\\"a\\":[1]}"]')
case("y_string_literal_words", '["null","true","false","NaN","Infinity"]')
case("y_string_long_ascii", '["' + "abcdefghij" * 1000 + '"]')
case("y_string_long_with_escapes", '["' + "\\n\\u00e9\\\"é" * 2000 + '"]')

# Nesting (JSONParser.maximumDepth is 512)
case("y_structure_nested_512_arrays", nested_arrays(MAX_DEPTH))
case("y_structure_nested_512_objects", nested_objects(MAX_DEPTH))
case("y_structure_nested_512_mixed", b'[{"k":' * (MAX_DEPTH // 2) + b"null" + b"}]" * (MAX_DEPTH // 2))

# ---------------------------------------------------------------------------------------------------
# n_: must be refused
# ---------------------------------------------------------------------------------------------------

# Documents and structure
case("n_structure_empty_document", "")
case("n_structure_whitespace_only", "  \n\t\r ")
case("n_structure_lone_open_brace", "{")
case("n_structure_lone_open_bracket", "[")
case("n_structure_lone_quote", '"')
case("n_structure_lone_close_bracket", "]")
case("n_structure_lone_close_brace", "}")
case("n_structure_two_values", "1 2")
case("n_structure_two_arrays", "[][]")
case("n_structure_two_objects", "{}{}")
case("n_structure_trailing_comma_after_value", "[1],")
case("n_structure_trailing_close_bracket", "[1]]")
case("n_structure_trailing_nul", b"[1]\x00")
case("n_structure_trailing_line_comment", "[1] // comment")
case("n_structure_leading_nul", b"\x00[1]")
case("n_structure_unclosed_array", "[1")
case("n_structure_unclosed_nested_arrays", "[[[]]")
case("n_structure_unclosed_object", '{"a":1')
case("n_structure_unclosed_object_after_colon", '{"a":')
case("n_structure_array_closed_by_brace", "[1}")
case("n_structure_object_closed_by_bracket", '{"a":1]')
case("n_structure_unclosed_object_in_array", "[{]")
case("n_structure_non_ascii_letter", "[å]")
case("n_structure_100000_opening_arrays", b"[" * 100000)

# Whitespace that RFC 8259 does not allow
case("n_whitespace_form_feed", b"\x0c[1]")
case("n_whitespace_vertical_tab", b"[\x0b1]")
case("n_whitespace_nbsp", "[\u00a01]")
case("n_whitespace_u2028_before_value", "\u2028[1]")
case("n_whitespace_u2029_after_value", "[1]\u2029")
case("n_whitespace_zero_width_space", "[\u200b1]")

# Arrays
case("n_array_trailing_comma", "[1,]")
case("n_array_leading_comma", "[,1]")
case("n_array_double_comma", "[1,,2]")
case("n_array_missing_comma", "[1 2]")
case("n_array_colon_instead_of_comma", '["a": 1]')

# Objects
case("n_object_trailing_comma", '{"a":1,}')
case("n_object_double_comma", '{"a":1,,"b":2}')
case("n_object_missing_colon", '{"a" 1}')
case("n_object_missing_value", '{"a":}')
case("n_object_missing_key", "{:1}")
case("n_object_double_colon", '{"a"::1}')
case("n_object_comma_instead_of_colon", '{"a",1}')
case("n_object_missing_comma", '{"a":1 "b":2}')
case("n_object_unquoted_key", "{a:1}")
case("n_object_single_quoted_key", "{'a':1}")
case("n_object_number_key", "{1:1}")
case("n_object_null_key", "{null:1}")
case("n_object_object_key", "{{}:1}")
case("n_object_line_comment", '{"a":1 // comment\n}')
case("n_object_block_comment", '{"a":/* comment */1}')
case("n_object_nested_trailing_comma", '{"a":{"b":1,}}')

# Literals
case("n_literal_true_capitalized", "[True]")
case("n_literal_false_uppercase", "[FALSE]")
case("n_literal_null_capitalized", "[Null]")
case("n_literal_nul", "[nul]")
case("n_literal_nulll", "[nulll]")
case("n_literal_tru", "[tru]")
case("n_literal_truth", "truth")
case("n_literal_nul_byte_inside_null", b"[nu\x00ll]")

# Numbers
case("n_number_leading_plus", "[+1]")
case("n_number_leading_zero", "[01]")
case("n_number_negative_leading_zero", "[-01]")
case("n_number_leading_zeros_with_exponent", "[00e1]")
case("n_number_leading_dot", "[.5]")
case("n_number_negative_leading_dot", "[-.5]")
case("n_number_trailing_dot", "[1.]")
case("n_number_dot_before_exponent", "[1.e3]")
case("n_number_hex", "[0x1F]")
case("n_number_infinity", "[Infinity]")
case("n_number_negative_infinity", "[-Infinity]")
case("n_number_nan", "[NaN]")
case("n_number_exponent_without_digits", "[1e]")
case("n_number_exponent_plus_without_digits", "[1e+]")
case("n_number_exponent_minus_without_digits", "[1E-]")
case("n_number_exponent_two_signs", "[1e+-3]")
case("n_number_exponent_with_fraction", "[1e1.5]")
case("n_number_two_dots", "[1.2.3]")
case("n_number_minus_only", "[-]")
case("n_number_minus_space_digit", "[- 1]")
case("n_number_unicode_minus_sign", "[\u22121]")
case("n_number_fullwidth_digit", "[\uff11]")
case("n_number_space_inside", "[1 000]")
case("n_number_trailing_letter", "[1a]")
case("n_number_comma_as_decimal_separator", "1,5")

# Strings
case("n_string_single_quoted", "['a']")
case("n_string_unterminated", '["abc')
case("n_string_unterminated_after_backslash", '["\\')
case("n_string_escaped_quote_unterminated", '["\\\\\\"]')
case("n_string_unescaped_quote_inside", '["a"b"]')
case("n_string_raw_nul", b'["a\x00b"]')
case("n_string_raw_tab", b'["a\tb"]')
case("n_string_raw_newline", b'["a\nb"]')
case("n_string_raw_form_feed", b'["\x0c"]')
case("n_string_raw_carriage_return", b'["a\rb"]')
case("n_string_raw_control_1f", b'["\x1f"]')
case("n_string_raw_control_in_key", b'{"a\tb":1}')
case("n_string_escape_a", '["\\a"]')
case("n_string_escape_zero", '["\\0"]')
case("n_string_escape_x", '["\\x41"]')
case("n_string_escape_single_quote", '["\\\'"]')
case("n_string_escape_uppercase_u", '["\\U0041"]')
case("n_string_escape_raw_newline", '["a\\\nb"]')
case("n_string_escape_emoji", '["\\😀"]')
case("n_string_escape_in_key", '{"\\a":1}')
case("n_string_escape_u_incomplete", '["\\u12"]')
case("n_string_escape_u_incomplete_at_end", '["\\u12')
case("n_string_escape_u_non_hex", '["\\uZZZZ"]')
case("n_string_escape_u_partly_hex", '["\\u00G0"]')
case("n_string_escape_u_plus_sign", '["\\u+123"]')
case("n_string_surrogate_pair_second_escape_incomplete", '["\\uD83D\\uDE"]')

# ---------------------------------------------------------------------------------------------------
# i_: implementation-defined (JSONParser refuses every one of these, other readers may accept)
# ---------------------------------------------------------------------------------------------------

# Invalid UTF-8 inside strings
case("i_string_utf8_byte_ff", b'["\xff"]')
case("i_string_utf8_byte_f5", b'["\xf5\x80\x80\x80"]')
case("i_string_utf8_lone_continuation_byte", b'["\x80"]')
case("i_string_utf8_overlong_slash", b'["\xc0\xaf"]')
case("i_string_utf8_overlong_nul", b'["\xc0\x80"]')
case("i_string_utf8_overlong_four_bytes", b'["\xf0\x80\x80\xaf"]')
case("i_string_utf8_encoded_high_surrogate", b'["\xed\xa0\x80"]')
case("i_string_utf8_encoded_low_surrogate", b'["\xed\xbf\xbf"]')
case("i_string_utf8_encoded_surrogate_pair_cesu8", b'["\xed\xa0\xbd\xed\xb8\x80"]')
case("i_string_utf8_above_max_code_point", b'["\xf4\x90\x80\x80"]')
case("i_string_utf8_truncated_two_bytes", b'["\xc3"]')
case("i_string_utf8_truncated_four_bytes", b'["\xf0\x9f\x98"]')
case("i_string_utf8_invalid_in_key", b'{"\xff":1}')
case("i_string_utf8_invalid_after_escape", b'["\\n\xff"]')

# Surrogate escapes that do not make a pair
case("i_string_lone_high_surrogate_escape", '["\\uD800"]')
case("i_string_lone_low_surrogate_escape", '["\\uDC00"]')
case("i_string_high_surrogate_then_non_surrogate_escape", '["\\uD800\\u0041"]')
case("i_string_surrogate_pair_inverted", '["\\uDE00\\uD83D"]')
case("i_string_high_surrogate_then_text", '["\\uD83Dabc"]')

# Exponents of ten digits or more (JSONParser caps exponents at nine digits)
case("i_number_ten_digit_exponent", "[1e1000000000]")
case("i_number_exponent_with_many_leading_zeros", "[1E+00000000000000000001]")
case("i_number_huge_exponent_with_fraction", "[123.456e78901234567]")

# Nesting beyond 512 levels
case("i_structure_nested_513_arrays", nested_arrays(MAX_DEPTH + 1))
case("i_structure_nested_513_objects", nested_objects(MAX_DEPTH + 1))
case("i_structure_nested_100000_arrays", nested_arrays(100000))

# Byte order marks and encodings other than UTF-8
case("i_structure_utf8_bom", b"\xef\xbb\xbf{}")
case("i_structure_utf16le_with_bom", b"\xff\xfe" + '["é"]'.encode("utf-16-le"))
case("i_structure_utf16be_with_bom", b"\xfe\xff" + '["é"]'.encode("utf-16-be"))
case("i_structure_utf16le_without_bom", "[1]".encode("utf-16-le"))
case("i_structure_utf32be_without_bom", "[1]".encode("utf-32-be"))


def main():
    names = [name for name, _ in CASES]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        sys.exit("duplicate case names: " + ", ".join(duplicates))
    bad = [name for name in names if not NAME.match(name)]
    if bad:
        sys.exit("badly formed case names: " + ", ".join(bad))

    os.makedirs(OUTPUT, exist_ok=True)
    wanted = set(names)
    for existing in sorted(os.listdir(OUTPUT)):
        if NAME.match(existing) and existing not in wanted:
            os.remove(os.path.join(OUTPUT, existing))
    for name, data in sorted(CASES):
        with open(os.path.join(OUTPUT, name), "wb") as handle:
            handle.write(data)

    counts = {prefix: sum(1 for name in names if name.startswith(prefix + "_")) for prefix in "yni"}
    print("wrote %d cases to %s (y: %d, n: %d, i: %d)" % (len(CASES), os.path.relpath(OUTPUT, REPO), counts["y"], counts["n"], counts["i"]))


if __name__ == "__main__":
    main()
