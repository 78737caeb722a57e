#!/usr/bin/env python3
"""Makes the PDF corpus of shohosen (corpus/pdf/) with real producers.

Producers: ReportLab 5.1 (UnicodeCIDFont UniJIS-UCS2-H, CIDFont 90ms-RKSJ-H, TTFont IPAex),
Chromium headless print-to-PDF, LibreOffice Writer (flat ODT -> PDF), qpdf (encryption),
pdftoppm (rasterizing a page for the scan-like file). Not run by CI: it needs those programs
(see README.md). Every PDF gets NAME.src.txt: the text it renders, one printed row a line,
table cells separated by a tab (empty mark cells kept, as in known.txt), which the tests compare with the
extraction. NAME.expected.json files are written by hand, not by this script.

Usage: python3 corpus/pdf/make/make_corpus.py   (from the crate root)
"""

import html
import os
import shutil
import subprocess
import sys
import tempfile

OUT = os.path.normpath(os.path.join(os.path.dirname(__file__), ".."))
IPAEX_M = "/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf"

# ---------------------------------------------------------------- the prescriptions

HEADER = [
    ["公費負担者番号", "", "保険者番号", "06132015"],
    ["公費負担医療の受給者番号", "", "被保険者証・被保険者手帳の記号・番号", "１２３４５・６７８（枝番）01"],
    ["氏名", "{name}", "生年月日", "{birth}"],
    ["区分", "被保険者", "交付年月日", "{issued}"],
    ["保険医療機関の所在地及び名称", "東京都千代田区神田駿河台２－３－４　さくらクリニック"],
    ["電話番号", "03-1234-5678", "保険医氏名", "佐藤　花子　印"],
    ["都道府県番号", "13", "点数表番号", "1", "医療機関コード", "12・3456・7"],
]

FOOTER = [
    ["備考", "保険医署名　佐藤　花子"],
    ["保険薬局の所在地及び名称", ""],
]

# (marks per column, drug text). New form: columns 変更不可（医療上必要）, 患者希望.
NEW_ITEMS = [
    (["", ""], "1) 【般】アムロジピン錠５ｍｇ　１錠　１日１回朝食後　２８日分"),
    (["レ", ""], "2) ジスロマック錠250mg 2錠 1日1回夕食後 3日分"),
    (["", "レ"], "3) ロキソニン錠６０ｍｇ　３錠　分３　毎食後　５日分"),
    (["", ""], "4) ムコダイン錠500mg　3錠　分3　毎食後　7日分"),
    (["×", ""], "5) ヒルドイドソフト軟膏0.3%　25g　1日2回　患部に塗布"),
    (["", ""], "以下余白"),
]
NEW_HEAD = ["変更不可（医療上必要）", "患者希望", "処方"]

# Old form: one column 変更不可.
OLD_ITEMS = [
    ([""], "1) メチコバール錠500μg　3錠　分3　毎食後　14日分"),
    (["レ"], "2) リリカカプセル75mg　2カプセル　分2　朝夕食後　14日分"),
    ([""], "3) 【般】ファモチジン錠２０ｍｇ　２錠　分２　朝夕食後　１４日分"),
    (["×"], "4) マイスリー錠5mg　1錠　1日1回就寝前　14日分"),
    ([""], "以下余白"),
]
OLD_HEAD = ["変更不可", "処方"]

PATIENTS = {
    "new": dict(name="山田　太郎", birth="昭和35年4月12日　男", issued="令和6年10月1日"),
    "old": dict(name="鈴木　花子", birth="平成2年8月3日　女", issued="令和6年4月15日"),
    "second": dict(name="田中　一郎", birth="昭和50年1月20日　男", issued="令和6年10月7日"),
}


def rows_for(layout, patient, items=None):
    """The prescription as rows of cells (the title row first)."""
    p = PATIENTS[patient]
    head = NEW_HEAD if layout == "new" else OLD_HEAD
    items = items if items is not None else (NEW_ITEMS if layout == "new" else OLD_ITEMS)
    rows = [["処方箋"], ["（この処方箋は、どの保険薬局でも有効です。）"]]
    for r in HEADER:
        rows.append([c.format(**p) for c in r])
    rows.append(None)  # a new table starts (each block is its own table)
    rows.append(head)
    for marks, drug in items:
        rows.append(marks + [drug])
    rows.append(None)
    rows.extend(FOOTER)
    return rows


def blocks_of(rows):
    """Rows after the title lines, grouped into tables: a new table at each None or at a
    change of the number of cells."""
    blocks, cur = [], []
    for r in rows[2:]:
        if r is None or (cur and len(r) != len(cur[-1])):
            if cur:
                blocks.append(cur)
            cur = []
            if r is None:
                continue
        cur.append(r)
    if cur:
        blocks.append(cur)
    return blocks


def src_text(prescriptions):
    """NAME.src.txt: rows with cells joined by tabs; prescriptions back to back."""
    lines = []
    for rows in prescriptions:
        for r in rows:
            if r is None:
                continue
            if any(r):
                lines.append("\t".join(r))
    return "\n".join(lines) + "\n"


def write(name, text):
    with open(os.path.join(OUT, name), "w", encoding="utf-8") as f:
        f.write(text)


# ---------------------------------------------------------------- ReportLab

def reportlab_pdf(name, prescriptions, font, pad_rows=0):
    """One prescription per page (a long one flows onto the next page by itself)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import CIDFont, UnicodeCIDFont
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle

    if font == "ucs2":
        pdfmetrics.registerFont(UnicodeCIDFont("HeiseiMin-W3"))  # UniJIS-UCS2-H
        fname = "HeiseiMin-W3"
    elif font == "rksj":
        pdfmetrics.registerFont(CIDFont("HeiseiMin-W3", "90ms-RKSJ-H"))
        fname = "HeiseiMin-W3-90ms-RKSJ-H"
    else:
        pdfmetrics.registerFont(TTFont("IPAexMincho", IPAEX_M))
        fname = "IPAexMincho"
    style = ParagraphStyle("jp", fontName=fname, fontSize=9, leading=12, wordWrap="CJK")
    title = ParagraphStyle("t", fontName=fname, fontSize=16, leading=20, alignment=1)

    def cell(t):
        if font == "rksj":
            # ReportLab's non-Unicode CIDFont takes the encoded bytes (as latin-1 chars);
            # a Paragraph would wrap inside a two-byte code, so cells stay plain strings.
            return t.encode("cp932").decode("latin-1")
        return Paragraph(html.escape(t), style) if t else ""

    story = []
    for i, rows in enumerate(prescriptions):
        if i:
            story.append(PageBreak())
        if font == "rksj":
            # Plain-string cells: a Paragraph cannot lay out the encoded bytes.
            story.append(Table([[cell(rows[0][0])]], style=TableStyle(
                [("FONTNAME", (0, 0), (-1, -1), fname), ("FONTSIZE", (0, 0), (-1, -1), 16)])))
            story.append(Table([[cell(rows[1][0])]], style=TableStyle(
                [("FONTNAME", (0, 0), (-1, -1), fname), ("FONTSIZE", (0, 0), (-1, -1), 8)])))
        else:
            story.append(Paragraph(rows[0][0], title))
            story.append(Paragraph(rows[1][0], style))
        # One table per block so each block keeps its own column widths.
        for b in blocks_of(rows):
            n = len(b[0])
            if b[0][0] in ("変更不可（医療上必要）", "変更不可"):
                marks = n - 1
                widths = [70] * marks + [515 - 70 * marks]
            elif n == 4:
                widths = [100, 110, 150, 155]
            elif n == 2:
                widths = [150, 365]
            else:
                widths = [515 / n] * n
            data = [[cell(c) for c in r] for r in b]
            t = Table(data, colWidths=widths, repeatRows=1 if b[0][0].startswith("変更不可") else 0)
            t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                                   ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("FONTNAME", (0, 0), (-1, -1), fname),
                                   ("FONTSIZE", (0, 0), (-1, -1), 7)]))
            story.append(t)
    doc = SimpleDocTemplate(os.path.join(OUT, name), pagesize=A4, leftMargin=40, rightMargin=40,
                            topMargin=40, bottomMargin=40)
    doc.build(story)


# ---------------------------------------------------------------- HTML (Chromium, LibreOffice)

def html_doc(prescriptions, font="IPAexMincho", mark_css=""):
    out = ["<!DOCTYPE html><html lang='ja'><head><meta charset='utf-8'><title>処方箋</title>",
           "<style>body{font-family:'%s',serif;font-size:10pt;margin:12mm}" % font,
           "table{border-collapse:collapse;width:100%;margin:2px 0}",
           "td{border:1px solid #000;padding:1px 4px;vertical-align:top}",
           "h1{font-size:16pt;text-align:center;margin:0} .pb{page-break-before:always}",
           "td.m{width:70pt;text-align:center%s}</style></head><body>" % mark_css]
    for i, rows in enumerate(prescriptions):
        cls = " class='pb'" if i else ""
        out.append("<h1%s>%s</h1><p>%s</p>" % (cls, rows[0][0], rows[1][0]))
        for b in blocks_of(rows):
            marks = b[0][0] in ("変更不可（医療上必要）", "変更不可")
            out.append("<table width='100%' border='1' cellspacing='0' cellpadding='2'>")
            for r in b:
                tds = []
                n = len(r)
                for j, c in enumerate(r):
                    # Explicit widths: LibreOffice's HTML import shrinks auto-width columns.
                    if marks:
                        w = 14 if j < n - 1 else 100 - 14 * (n - 1)
                    else:
                        w = {2: [30, 70], 4: [20, 22, 28, 30]}.get(n, [100 // n] * n)[j]
                    m = " class='m'" if marks and j < n - 1 else ""
                    tds.append("<td%s width='%d%%'>%s</td>" % (m, w, html.escape(c) if c else "&nbsp;"))
                out.append("<tr>%s</tr>" % "".join(tds))
            out.append("</table>")
    out.append("</body></html>")
    return "\n".join(out)


def chromium_pdf(name, prescriptions, mark_css=""):
    with tempfile.TemporaryDirectory() as d:
        src = os.path.join(d, "rx.html")
        with open(src, "w", encoding="utf-8") as f:
            f.write(html_doc(prescriptions, mark_css=mark_css))
        subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu",
                        "--no-pdf-header-footer", "--print-to-pdf=" + os.path.join(OUT, name),
                        "file://" + src], check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)


def fodt_doc(prescriptions):
    """A flat ODF text document with fixed-width tables (LibreOffice's HTML import would
    shrink the columns)."""
    x = html.escape
    styles = ['<style:style style:name="P1" style:family="paragraph">'
              '<style:text-properties style:font-name="IPAexMincho" fo:font-size="9pt" '
              'style:font-name-asian="IPAexMincho" style:font-size-asian="9pt"/></style:style>',
              '<style:style style:name="T" style:family="paragraph">'
              '<style:paragraph-properties fo:text-align="center"/>'
              '<style:text-properties style:font-name="IPAexMincho" fo:font-size="16pt" '
              'style:font-name-asian="IPAexMincho" style:font-size-asian="16pt"/></style:style>',
              '<style:style style:name="PB" style:family="paragraph" style:parent-style-name="T">'
              '<style:paragraph-properties fo:break-before="page" fo:text-align="center"/>'
              '</style:style>',
              '<style:style style:name="C" style:family="table-cell">'
              '<style:table-cell-properties fo:border="0.5pt solid #000000" fo:padding="0.05cm"/>'
              '</style:style>']
    body = []
    tno = 0
    for i, rows in enumerate(prescriptions):
        body.append('<text:p text:style-name="%s">%s</text:p>' % ("PB" if i else "T", x(rows[0][0])))
        body.append('<text:p text:style-name="P1">%s</text:p>' % x(rows[1][0]))
        for b in blocks_of(rows):
            tno += 1
            n = len(b[0])
            if b[0][0] in ("変更不可（医療上必要）", "変更不可"):
                widths = [2.4] * (n - 1) + [17.0 - 2.4 * (n - 1)]
            else:
                widths = {2: [5.0, 12.0], 4: [3.6, 3.6, 4.6, 5.2]}.get(n, [17.0 / n] * n)
            styles.append('<style:style style:name="Tb%d" style:family="table">'
                          '<style:table-properties style:width="17cm" table:align="left"/>'
                          '</style:style>' % tno)
            cols = []
            for j, w in enumerate(widths):
                styles.append('<style:style style:name="Tb%d.%d" style:family="table-column">'
                              '<style:table-column-properties style:column-width="%.2fcm"/>'
                              '</style:style>' % (tno, j, w))
                cols.append('<table:table-column table:style-name="Tb%d.%d"/>' % (tno, j))
            trs = []
            for r in b:
                tds = "".join('<table:table-cell table:style-name="C" office:value-type="string">'
                              '<text:p text:style-name="P1">%s</text:p></table:table-cell>' % x(c)
                              for c in r)
                trs.append("<table:table-row>%s</table:table-row>" % tds)
            body.append('<table:table table:name="T%d" table:style-name="Tb%d">%s%s</table:table>'
                        % (tno, tno, "".join(cols), "".join(trs)))
    return ('<?xml version="1.0" encoding="UTF-8"?>'
            '<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
            'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
            'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
            'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
            'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
            'office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.text">'
            '<office:font-face-decls><style:font-face style:name="IPAexMincho" '
            'svg:font-family="IPAexMincho"/></office:font-face-decls>'
            '<office:automatic-styles>%s</office:automatic-styles>'
            '<office:body><office:text>%s</office:text></office:body></office:document>'
            % ("".join(styles), "".join(body)))


def libreoffice_pdf(name, prescriptions):
    """LibreOffice Writer: flat ODT -> PDF."""
    with tempfile.TemporaryDirectory() as d:
        src = os.path.join(d, os.path.splitext(name)[0] + ".fodt")
        with open(src, "w", encoding="utf-8") as f:
            f.write(fodt_doc(prescriptions))
        env = dict(os.environ, HOME=d)
        subprocess.run(["soffice", "--headless", "--convert-to", "pdf:writer_pdf_Export", "--outdir",
                        d, src], check=True, env=env, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        shutil.copy(src[:-5] + ".pdf", os.path.join(OUT, name))


# ---------------------------------------------------------------- error cases

def scan_pdf(name, from_pdf):
    """A page rasterized to an image and wrapped in a PDF: no text layer (like a scan)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas
    with tempfile.TemporaryDirectory() as d:
        subprocess.run(["pdftoppm", "-r", "60", "-png", "-singlefile", os.path.join(OUT, from_pdf),
                        os.path.join(d, "p")], check=True)
        c = canvas.Canvas(os.path.join(OUT, name), pagesize=A4)
        c.drawImage(os.path.join(d, "p.png"), 0, 0, width=A4[0], height=A4[1])
        c.save()


def encrypted_pdf(name, from_pdf):
    """AES-256 with a user password: unreadable without it."""
    subprocess.run(["qpdf", "--encrypt", "user-pw", "owner-pw", "256", "--",
                    os.path.join(OUT, from_pdf), os.path.join(OUT, name)], check=True)


def owner_only_pdf(name, from_pdf):
    """AES-256 with an empty user password (permissions only): opens without a password, so
    it must read like the unencrypted file."""
    subprocess.run(["qpdf", "--encrypt", "", "owner-pw", "256", "--",
                    os.path.join(OUT, from_pdf), os.path.join(OUT, name)], check=True)
    shutil.copy(os.path.join(OUT, from_pdf[:-4] + ".src.txt"),
                os.path.join(OUT, name[:-4] + ".src.txt"))


def main():
    new = rows_for("new", "new")
    old = rows_for("old", "old")
    second = rows_for("new", "second", [
        (["", "レ"], "1) クラリス錠200　2錠　分2　朝夕食後　5日分"),
        (["", ""], "2) 【般】カルボシステイン錠５００ｍｇ　３錠　分３　毎食後　５日分"),
        (["", ""], "以下余白"),
    ])
    # 40 drug lines: the table flows onto a second page (one prescription, two pages).
    long_items = [(["", ""] if i % 7 else ["レ", ""],
                   "%d) 【般】アムロジピン錠５ｍｇ　１錠　１日１回朝食後　２８日分" % (i + 1))
                  for i in range(40)] + [(["", ""], "以下余白")]
    multi = rows_for("new", "new", long_items)

    # Marks of other shapes, in another font (DejaVu Sans) and a bigger size: their baseline
    # is not the drug text's.
    marks = rows_for("new", "new", [
        (["✓", ""], "1) ジスロマック錠250mg 2錠 1日1回夕食後 3日分"),
        (["", "●"], "2) ロキソニン錠６０ｍｇ　３錠　分３　毎食後　５日分"),
        (["☑", ""], "3) ムコダイン錠500mg　3錠　分3　毎食後　7日分"),
        (["", "✔"], "4) 【般】アムロジピン錠５ｍｇ　１錠　１日１回朝食後　２８日分"),
        (["", ""], "以下余白"),
    ])
    chromium_pdf("chromium_marks.pdf", [marks],
                 mark_css=";font-family:'DejaVu Sans',sans-serif;font-size:14pt;line-height:1")
    write("chromium_marks.src.txt", src_text([marks]))

    made = {
        "rl_ucs2_new.pdf": ("rl", [new], "ucs2"),
        "rl_rksj_old.pdf": ("rl", [old], "rksj"),
        "rl_ttf_new.pdf": ("rl", [new], "ttf"),
        "rl_ttf_multipage.pdf": ("rl", [multi], "ttf"),
        "rl_ucs2_two.pdf": ("rl", [new, second], "ucs2"),
        "chromium_new.pdf": ("chromium", [new], None),
        "chromium_old.pdf": ("chromium", [old], None),
        "chromium_two.pdf": ("chromium", [old, second], None),
        "lo_odt_new.pdf": ("lo", [new], None),
        "lo_odt_old.pdf": ("lo", [old], None),
    }
    for name, (producer, rx, font) in made.items():
        print("making", name, file=sys.stderr)
        if producer == "rl":
            reportlab_pdf(name, rx, font)
        elif producer == "chromium":
            chromium_pdf(name, rx)
        else:
            libreoffice_pdf(name, rx)
        write(name[:-4] + ".src.txt", src_text(rx))
    scan_pdf("scan_image_only.pdf", "rl_ttf_new.pdf")
    encrypted_pdf("encrypted_aes256.pdf", "rl_ttf_new.pdf")
    owner_only_pdf("encrypted_owner_only.pdf", "rl_ttf_new.pdf")


if __name__ == "__main__":
    main()
