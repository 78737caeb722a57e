#!/usr/bin/env python3
"""Writes the committed inputs of corpus/bad/ (run from anywhere: python3 make_bad.py).

Every file here is deterministic: re-running the script rewrites the same bytes. The expected
outcome of each input is hand-written in NAME.expected.json beside it (not produced by this
script). Inputs too large to commit are described by NAME.gen recipes that tests/corpus_bad.rs
expands at test time; see ../README.md.

The PDFs are written by a tiny PDF writer below (objects + a correct xref table), so that each
file is damaged in exactly one, known way.
"""
import os
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.dirname(HERE)
CORPUS = os.path.dirname(OUT)


def write(name, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)


# --- a small valid prescription, reused by the encoding cases -----------------------------
RX = """処方箋
保険者番号 39131015
氏名 高橋 節子
生年月日 昭和15年2月29日 女
交付年月日 令和6年10月4日
保険医療機関の所在地及び名称 福岡県福岡市中央区天神1-1-1 天神ひふ科
保険医氏名 中村 健 印
処方
Rp1 ロキソニン錠60mg 3錠
    1日3回 毎食後 7日分
以下余白
"""


def text_cases():
    write("empty.txt", b"")
    write("bom-only.txt", b"\xef\xbb\xbf")
    write("whitespace-only.txt", " \n\n\t\u3000\n")
    rnd = bytes((i * 1103515245 + 12345) >> 7 & 0xFF for i in range(4096))
    write("binary-noise.bin", rnd)
    write("nul-bytes.txt", RX.encode("utf-8").replace("ロキソニン".encode("utf-8"), b"\x00\x00\x00"))
    write("utf16le-no-bom.txt", RX.encode("utf-16-le"))
    write("eucjp.txt", RX.encode("euc_jp"))
    # the header in UTF-8, the drug lines in Shift_JIS: one file, two encodings
    head, rest = RX.split("処方\n", 1)
    write("mixed-utf8-sjis.txt", head.encode("utf-8") + "処方\n".encode("utf-8") + rest.encode("cp932"))
    write("latin1.txt", "Rezept für Müller: Ibuprofen 400 mg, 3× täglich\n".encode("latin-1"))
    # cut inside the last character (the 白 of 以下余白), as a transfer that stopped short
    sj = RX.encode("cp932")
    write("sjis-cut-mid-character.txt", sj[: sj.rindex("白".encode("cp932")) + 1])
    write("ansi-escapes.txt", "\x1b[1m" + RX.replace("処方\n", "処方\x07\x1b[0m\n") + "\x1b[0m")
    write("japanese-prose.txt", "本日は晴天なり。吾輩は猫である。名前はまだ無い。\nどこで生れたかとんと見当がつかぬ。\n")
    write("html-page.txt", "<!DOCTYPE html><html><head><title>処方</title></head><body><p>お知らせ</p></body></html>\n")
    write("json-document.txt", '{"prescription": {"drug": "ロキソニン錠60mg", "days": 7}}\n')
    write("header-only.txt", RX.split("処方\n", 1)[0])
    write("rx-without-header.txt", "処方\nRp1 ロキソニン錠60mg 3錠\n    1日3回 毎食後 7日分\n")
    write("cr-only-line-ends.txt", RX.replace("\n", "\r"))
    write(
        "absurd-amounts.txt",
        RX.replace("ロキソニン錠60mg 3錠", "ロキソニン錠60mg 99999999999999999999999999錠").replace(
            "7日分", "999999999999日分"
        ),
    )
    write("zero-and-negative.txt", RX.replace("3錠", "0錠").replace("7日分", "-7日分"))
    write("absurd-dates.txt", RX.replace("令和6年10月4日", "令和99年13月45日").replace("昭和15年2月29日", "昭和15年2月30日"))
    write("far-future-dates.txt", RX.replace("令和6年10月4日", "2099年1月1日").replace("昭和15年2月29日", "2090年1月1日"))
    write("long-drug-name.txt", RX.replace("ロキソニン錠60mg", "ロキソニン" * 5000 + "錠60mg"))
    write("deep-brackets.txt", RX.replace("ロキソニン錠60mg 3錠", "ロキソニン錠60mg 3錠 " + "（" * 10000 + "変更不可" + "）" * 10000))
    write("many-marks.txt", RX.replace("Rp1 ", "✓" * 2000 + " Rp1 "))
    write("private-use-and-replacement.txt", RX.replace("ロキソニン", "ロ\ue000キソ\ufffdニン"))
    lines = ["処方"] + [f"Rp{i} ロキソニン錠60mg 3錠\n    1日3回 毎食後 7日分" for i in range(1, 1001)]
    write("items-1000.txt", RX.split("処方\n", 1)[0] + "\n".join(lines) + "\n以下余白\n")
    write("only-separators.txt", ("―" * 40 + "\n") * 200)
    write("numbers-only.txt", "\n".join(str(10**i) for i in range(1, 60)) + "\n")


# --- 2D-symbol contents -------------------------------------------------------------------
JAHIS_OK = open(os.path.join(CORPUS, "jahis", "as-needed-external.txt"), encoding="utf-8").read()


def jahis_cases():
    crlf = lambda s: s.replace("\r\n", "\n").replace("\n", "\r\n")
    write("jahistc-notebook.txt", crlf("JAHISTC07,1\n1,見本 太郎,1,19500101,,,,,,\n5,20241101,1\n"))
    write("jahis-header-then-garbage.txt", crlf("JAHIS10\n@@@ not records @@@\n%%%%\n"))
    write("jahis-header-only.txt", crlf("JAHIS10\n"))
    write("jahis-future-version.txt", crlf(JAHIS_OK.replace("JAHIS9", "JAHIS99", 1)))
    write("jahis-dangling-drug.txt", crlf(JAHIS_OK + "201,9,1,1,4,1234567Q1020,見本錠,1,1,錠\n"))
    write(
        "jahis-extra-fields.txt",
        crlf(JAHIS_OK.replace("12,1\n", "12,1" + ",x" * 500 + "\n", 1)),
    )
    write(
        "jahis-absurd-numbers.txt",
        crlf(JAHIS_OK.replace("101,3,4,,1\n", "101,3,4,,99999999999999999999\n").replace(",30,1,ｍＬ", ",1e308,1,ｍＬ")),
    )
    write("jahis-bad-dates.txt", crlf(JAHIS_OK.replace("51,20241101", "51,20241345").replace("13,19500101", "13,19501399")))
    # cut inside the last two-byte character (the 容 of the last record's text)
    sj = crlf(JAHIS_OK + "302,1,内容\n").encode("cp932")
    write("jahis-sjis-cut-mid-character.bin", sj[:-3])
    drugs = []
    # 100 RPs of 10 drugs: RP番号 has at most 3 bytes, so 1,000 drugs need several per RP
    for rp in range(1, 101):
        drugs.append(f"101,{rp},1,,7\n111,{rp},1,,１日３回毎食後,3\n")
        for n in range(1, 11):
            drugs.append(f"201,{rp},{n},1,4,1149019F1ZZZ,ロキソニン錠６０ｍｇ,3,1,錠\n")
    head = JAHIS_OK.split("101,1,", 1)[0]
    write("jahis-1000-drugs.txt", crlf(head + "".join(drugs)))
    write("jahis-then-text.txt", crlf(JAHIS_OK) + RX)
    write("jahis-fields-only-commas.txt", crlf("JAHIS10\n" + ",,,,,,,,,,\n" * 50))


# --- PDFs -----------------------------------------------------------------------------------
def pdf(objects, trailer_extra=b"", header=b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"):
    """objects: list of bytes bodies for objects 1..n; returns a PDF with a correct xref."""
    out = bytearray(header)
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R " % (len(objects) + 1) + trailer_extra + b">>\n"
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def stream(data, extra=b""):
    return b"<< /Length %d " % len(data) + extra + b">>\nstream\n" + data + b"\nendstream"


CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
HELV = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def one_page(content, extra_objs=(), content_extra=b""):
    objs = [
        CATALOG,
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        stream(content, content_extra),
        HELV,
    ]
    objs.extend(extra_objs)
    return pdf(objs)


def pdf_cases():
    write("pdf-header-only.pdf", b"%PDF-1.7\n")
    write("pdf-garbage-after-header.pdf", b"%PDF-1.4\n" + bytes(range(256)) * 8)
    real = open(os.path.join(CORPUS, "pdf", "lo_odt_new.pdf"), "rb").read()
    write("pdf-truncated.pdf", real[: len(real) // 2])
    write("pdf-not-prescription.pdf", one_page(b"BT /F1 24 Tf 72 700 Td (Hello, world) Tj ET"))
    write("pdf-empty-page.pdf", one_page(b""))
    write("pdf-no-pages.pdf", pdf([CATALOG, b"<< /Type /Pages /Kids [] /Count 0 >>"]))
    # 60 pages: over the 50-page limit
    n = 60
    kids = b" ".join(b"%d 0 R" % (4 + i) for i in range(n))
    objs = [CATALOG, b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % n, stream(b"BT /F1 12 Tf 72 700 Td (page) Tj ET")]
    for _ in range(n):
        objs.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R /Resources << /Font << /F1 %d 0 R >> >> >>" % (4 + n))
    objs.append(HELV)
    write("pdf-60-pages.pdf", pdf(objs))
    # a page tree whose Kids point back at the tree: a cycle
    write(
        "pdf-page-tree-cycle.pdf",
        pdf([CATALOG, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R 3 0 R] /Count 1 >>"]),
    )
    # a content stream that inflates (through two FlateDecode passes) to 1 GiB of spaces
    chunk = zlib.compressobj(9)
    parts = []
    block = b" " * (1 << 20)
    for _ in range(1024):
        parts.append(chunk.compress(block))
    parts.append(chunk.flush())
    once = b"".join(parts)
    twice = zlib.compress(once, 9)
    write("pdf-flate-bomb.pdf", one_page(twice, content_extra=b"/Filter [/FlateDecode /FlateDecode] "))
    # 6 million path operators (compressed): over the operator budget
    ops = zlib.compress(b"0 0 m\n" * 6_000_000, 9)
    write("pdf-operator-flood.pdf", one_page(ops, content_extra=b"/Filter /FlateDecode "))
    # an object nested 200,000 arrays deep
    depth = 100_000
    write("pdf-deep-nesting.pdf", one_page(b"BT ET", extra_objs=[b"[" * depth + b"]" * depth]))
    # every xref offset wrong by 7 bytes
    good = one_page(b"BT /F1 24 Tf 72 700 Td (Hello) Tj ET")
    xref_at = good.rindex(b"xref\n")
    head, tail = good[:xref_at], good[xref_at:]
    lines = tail.split(b"\n")
    fixed = [lines[0], lines[1], lines[2]]
    for ln in lines[3:]:
        if ln.endswith(b" n ") and len(ln) == 19:
            ln = b"%010d 00000 n " % (int(ln[:10]) + 7)
        fixed.append(ln)
    write("pdf-wrong-xref-offsets.pdf", head + b"\n".join(fixed))
    # a ToUnicode CMap that maps every code to private-use code points
    cmap = (
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Bad def "
        b"1 begincodespacerange <00> <FF> endcodespacerange "
        b"1 beginbfrange <20> <7E> <E000> endbfrange endcmap CMapName currentdict /CMap defineresource pop end end"
    )
    objs = [
        CATALOG,
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        stream(b"BT /F1 12 Tf 72 700 Td (Shohosen Rp1 Loxonin 60mg 3 tablets 7 days) Tj ET"),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>",
        stream(cmap),
    ]
    write("pdf-private-use-tounicode.pdf", pdf(objs))
    # a Type0 font whose ToUnicode maps one range over four billion 4-byte codes: a reader
    # that expands ranges into a table runs out of memory (the stream itself is tiny)
    cmap = (
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Huge def "
        b"1 begincodespacerange <00000000> <FFFFFFFF> endcodespacerange "
        b"1 beginbfrange <00000000> <FFFFFFFF> <3042> endbfrange endcmap "
        b"CMapName currentdict /CMap defineresource pop end end"
    )
    objs = [
        CATALOG,
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        stream(b"BT /F1 12 Tf 72 700 Td <0000000100000002> Tj ET"),
        b"<< /Type /Font /Subtype /Type0 /BaseFont /HeiseiMin-W3 /Encoding /Identity-H "
        b"/DescendantFonts [7 0 R] /ToUnicode 6 0 R >>",
        stream(cmap),
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /HeiseiMin-W3 "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Japan1) /Supplement 2 >> /DW 1000 >>",
    ]
    write("pdf-tounicode-range-bomb.pdf", pdf(objs))
    # a stream whose /Length is far beyond the end of the file
    write("pdf-length-beyond-eof.pdf", one_page(b"BT ET").replace(b"/Length 5 ", b"/Length 999999999 ", 1))
    # not a PDF at all, but named .pdf: a text prescription
    write("text-named-pdf.pdf", RX)
    # a PDF that claims a huge MediaBox and absurd number sizes
    write(
        "pdf-absurd-numbers.pdf",
        pdf([
            CATALOG,
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 1e300 -1e300] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            stream(b"BT /F1 1e308 Tf 99999999999999999999 -99999999999999999999 Td (x) Tj "
                   b"1e308 0 0 1e308 0 0 Tm (y) Tj ET"),
            HELV,
        ]),
    )


if __name__ == "__main__":
    text_cases()
    jahis_cases()
    pdf_cases()
