"""The hardened YAML reader: what it refuses, and where it says the problem is."""

import pytest

from citizen.safeyaml import MAX_BYTES, YamlError, decode, parse, plain


def err(text: str) -> YamlError:
    with pytest.raises(YamlError) as info:
        parse(text)
    return info.value


def test_plain_values_and_quoting_are_kept():
    root = parse('a: yes\nb: "yes"\nc: 12:30\nd: 1.10\n')
    assert plain(root) == {"a": True, "b": "yes", "c": 750, "d": 1.1}
    assert root.items["a"][1].quoted is False and root.items["b"][1].quoted is True


@pytest.mark.parametrize("text, line, col, words", [
    ("a: &x 1\nb: *x\n", 1, 4, "anchors"),
    ("a: [1]\nb: *x\n", 2, 4, "aliases (*x)"),
    ("a: !!python/object/apply:os.system [ls]\n", 1, 4, "tags"),
    ("a: 1\nb: 2\na: 3\n", 3, 1, "duplicate key 'a' (first at line 1)"),
    ("--- 1\n--- 2\n", 2, 1, "only one YAML document"),
    ("a: [1,\n", 2, 1, "YAML syntax"),
    ("? [1, 2]\n: x\n", 1, 3, "key"),
])
def test_refusals_name_line_and_column(text, line, col, words):
    e = err(text)
    assert words in e.message
    assert (e.line, e.col) == (line, col)


def test_alias_bomb_is_refused_at_its_first_anchor():
    bomb = 'a: &a ["lol","lol"]\nb: &b [*a,*a]\nc: &c [*b,*b]\n' + "".join(
        f"x{i}: &x{i} [*c,*c]\n" for i in range(30))
    assert "anchors" in err(bomb).message


def test_deep_nesting_is_refused():
    assert "nested deeper" in err("[" * 3000 + "]" * 3000).message
    assert "nested deeper" in err("".join("  " * i + "a:\n" for i in range(100)) + "  " * 100
                                  + "b: 1\n").message


def test_decode_accepts_bom_and_refuses_latin1_with_position():
    assert decode(b"\xef\xbb\xbfa: 1\n") == "a: 1\n"
    with pytest.raises(YamlError) as info:
        decode("title: ok\nbody: caf\xe9\n".encode("latin-1"))
    assert (info.value.line, info.value.col) == (2, 10)
    assert "not UTF-8" in info.value.message


def test_decode_refuses_large_files():
    with pytest.raises(YamlError, match="at most"):
        decode(b"a" * (MAX_BYTES + 1))
