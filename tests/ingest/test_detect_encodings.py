"""Detection of a text file's encoding: BOMs, UTF-16 without one, legacy code pages, GBK,
stray bytes, overrides and mojibake."""

from __future__ import annotations

import codecs

from pipeline.ingest import detect
from tests.ingest.detection_checks import fails


def test_utf16_big_endian_and_without_bom(write) -> None:
    text = "Name\tComment\r\nA\tSchön\r\n"
    assert detect(write("be.txt", codecs.BOM_UTF16_BE + text.encode("utf-16-be"))).encoding == (
        "utf-16"
    )
    d = detect(write("nobom.txt", text.encode("utf-16-le")))
    assert (d.encoding, d.encoding_source, d.delimiter) == ("utf-16-le", "utf-16-pattern", "\t")


def test_cp1250_central_european(write) -> None:
    d = detect(write("pl.csv", "Imię,Komentarz\nŁukasz,Zażółć gęślą jaźń\n".encode("cp1250")))
    assert d.encoding == "cp1250"


def test_small_gbk_file(write) -> None:
    d = detect(write("zh.csv", "姓名,评论\n张伟,非常好的研讨会\n".encode("gbk")))
    assert d.encoding == "gb18030"


def test_mostly_utf8_with_a_stray_byte_fails(write) -> None:
    content = "a,b\néé,ü\nöä,x\n".encode() + b"\x92 oops\n"
    error = fails(write("mixed.csv", content), "invalid_utf8")
    assert "line 4" in str(error)


def test_undecodable_bytes_fail(write) -> None:
    noise = b"a,b\n" + bytes(range(0x80, 0x100)) * 3 + b"\n"
    fails(write("noise.csv", noise), "encoding_undetermined")


def test_bad_bytes_after_a_bom_fail(write) -> None:
    error = fails(write("bom.csv", codecs.BOM_UTF8 + b"a,b\n1,\xff\n"), "invalid_encoding")
    assert "line 2" in str(error)


def test_encoding_override(write) -> None:
    path = write("tr.csv", "Ad,Yorum\nŞükrü,Çok güzel\n".encode("cp1254"))
    assert detect(path, encoding="cp1254").encoding == "cp1254"
    assert detect(path, encoding="cp1254").encoding_source == "override"
    fails(write("x.csv", b"a,b\n\xff,1\n"), "invalid_encoding", encoding="utf-8")


def test_mojibake_is_flagged(write) -> None:
    d = detect(write("moji.csv", "id,comment\n1,CafÃ© itâ€™s fine\n"))
    assert any(w.startswith("mojibake_suspected:") for w in d.warnings)
