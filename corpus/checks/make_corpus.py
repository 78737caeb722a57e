# Writes corpus/checks/RULE-{fires,quiet}.txt (+ .args, .expected.json). Every case is
# spelled out by hand below: a base prescription (JPhA example 1, all fields valid) and the
# one fact each case changes.
import json, os  # run: python3 corpus/checks/make_corpus.py
OUT = os.path.dirname(os.path.abspath(__file__))

def rx(*, insurer="06132013", public=None, name="山田 太郎", birth="昭和35年4月12日 男",
       prescriber="佐藤 花子 ㊞", inst="都道府県番号 13 点数表番号 1 医療機関コード 1234569",
       issued="令和6年10月1日", period=None, body=None, remarks=(), refill=None, sign=False):
    L = ["処方箋"]
    if public:
        payer, recipient = public
        L.append(f"公費負担者番号 {payer}")
        if recipient:
            L.append(f"公費負担医療の受給者番号 {recipient}")
    if insurer:
        L.append(f"保険者番号 {insurer}")
    L.append("被保険者証・被保険者手帳の記号・番号 12・345")
    if name:
        L.append(f"氏名 {name}")
    if birth:
        L.append(f"生年月日 {birth}")
    L.append("区分 被保険者")
    L.append("保険医療機関の所在地及び名称 東京都千代田区千代田1-1 さくら内科クリニック")
    L.append("電話番号 03-1234-5678")
    if prescriber:
        L.append(f"保険医氏名 {prescriber}")
    if inst:
        L.append(inst)
    if issued:
        L.append(f"交付年月日 {issued}")
    if period:
        L.append(f"処方箋の使用期間 {period}")
    if body is None:
        body = ["処方",
                "Rp1 ジスロマック錠250mg 2錠 【患者希望】",
                "アセトアミノフェン錠300mg 1錠",
                "1日1回朝食後 3日分",
                "以下余白"]
    L += body
    L.append("備考")
    L += list(remarks)
    if sign:
        L.append("保険医署名 佐藤 花子")
    if refill:
        L.append(f"リフィル可 {refill}")
    return "\n".join(L) + "\n"

def plain(*lines, close=True):
    return ["処方", *lines] + (["以下余白"] if close else [])

NEW_HEADER = "変更不可（医療上必要）\t患者希望\t処方"
OLD_HEADER = "変更不可\t処方"

JAHIS_BASE = [
    "JAHIS10",
    "1,1,1234569,13,さくら内科クリニック",
    "5,,,佐藤 花子",
    "11,,山田 太郎,ﾔﾏﾀﾞ ﾀﾛｳ",
    "12,1",
    "13,3350412",
    "21,1",
    "22,06132013",
    "23,12,345,1,",
    "51,20241001",
    "101,1,1,,3",
    "111,1,1,,１日１回朝食後,1",
    "201,1,1,1,1,,ジスロマック錠２５０ｍｇ,2,1,錠",
    "201,1,2,1,1,,アセトアミノフェン錠３００ｍｇ,1,1,錠",
]
def jahis(lines):
    return "\r\n".join(lines) + "\r\n"

D = "--date 2024-10-02"
cases = {}
def case(rule, fires, quiet, fargs=D, qargs=D):
    cases[rule] = ((fires, fargs), (quiet, qargs))

wish = "Rp1 ジスロマック錠250mg 2錠 【患者希望】"
acet = "アセトアミノフェン錠300mg 1錠"
usage = "1日1回朝食後 3日分"

# ---- JPhA
case("nosub-unsigned",
     rx(body=plain("Rp1 ジスロマック錠250mg 2錠 【変更不可】", acet, usage)),
     rx(body=plain("Rp1 ジスロマック錠250mg 2錠 【変更不可】", acet, usage), sign=True))
case("nosub-no-reason",
     rx(body=[OLD_HEADER, "レ\tRp1 ジスロマック錠250mg 2錠", f"\t{acet}", f"\t{usage}", "\t以下余白"], sign=True),
     rx(body=[OLD_HEADER, "レ 医療上必要\tRp1 ジスロマック錠250mg 2錠", f"\t{acet}", f"\t{usage}", "\t以下余白"], sign=True))
case("nosub-and-wish",
     rx(body=plain("Rp1 ジスロマック錠250mg 2錠 【変更不可】【患者希望】", acet, usage), sign=True),
     rx(body=plain(wish, acet, usage), sign=True))
case("general-name-nosub",
     rx(body=plain("Rp1 【般】アジスロマイシン錠250mg 2錠 【変更不可】", acet, usage), sign=True),
     rx(body=plain("Rp1 【般】アジスロマイシン錠250mg 2錠", acet, usage), sign=True))
case("general-name-wish",
     rx(body=plain("Rp1 【般】アジスロマイシン錠250mg 2錠 【患者希望】", acet, usage)),
     rx(body=plain("Rp1 【般】アジスロマイシン錠250mg 2錠", acet, usage)))
case("wish-not-target",
     rx(body=plain("Rp1 ジスロマック錠250mg 2錠", "アセトアミノフェン錠300mg 1錠 【患者希望】", usage)),
     rx(body=plain(wish, acet, usage)))
case("brand-unmarked",
     rx(body=plain("Rp1 ジスロマック錠250mg 2錠", acet, usage)),
     rx(body=plain(wish, acet, usage)))
case("selective-care",
     rx(body=[NEW_HEADER, f"\tレ\tRp1 ジスロマック錠250mg 2錠", f"\t\t{acet}", f"\t\t{usage}", "\t\t以下余白"]),
     rx(body=[NEW_HEADER, f"レ\t\tRp1 ジスロマック錠250mg 2錠", f"\t\t{acet}", f"\t\t{usage}", "\t\t以下余白"], sign=True))
case("welfare-patient",
     rx(insurer=None, public=("12131017", "1234566"), body=plain("Rp1 ジスロマック錠250mg 2錠", acet, usage)),
     rx(insurer=None, public=("12131017", "1234566"), body=plain("Rp1 ジスロマック錠250mg 2錠 【変更不可】", acet, usage), sign=True))
case("pre-selective-care",
     rx(issued="令和6年9月30日"),
     rx())
case("old-layout",
     rx(body=[OLD_HEADER, "\tRp1 ジスロマック錠250mg 2錠 ※患者希望", f"\t{acet}", f"\t{usage}", "\t以下余白"]),
     rx(issued="令和6年9月27日", body=[OLD_HEADER, "\tRp1 ジスロマック錠250mg 2錠", f"\t{acet}", f"\t{usage}", "\t以下余白"]),
     D, "--date 2024-09-30")
# ---- Form
case("issue-date-missing", rx(issued=None), rx())
case("issue-date-future", rx(issued="令和6年10月3日"), rx())
case("expired", rx(), rx(), "--date 2024-10-05", "--date 2024-10-04")
case("prescriber-unsigned", rx(prescriber=None), rx())
case("patient-field-missing", rx(name=None), rx())
case("birth-date-future", rx(birth="令和6年10月2日 男"), rx())
case("insurer-check-digit", rx(insurer="06132015"), rx(insurer="06132013"))
case("public-payer-check-digit", rx(public=("54016028", "1234566")), rx(public=("54016027", "1234566")))
case("recipient-check-digit", rx(public=("54016027", "1234567")), rx(public=("54016027", "1234566")))
case("public-expense-missing-recipient", rx(public=("54016027", None)), rx(public=("54016027", "1234566")))
case("institution-code-check-digit",
     rx(inst="都道府県番号 13 点数表番号 1 医療機関コード 1234567"),
     rx(inst="都道府県番号 13 点数表番号 1 医療機関コード 1234569"))
case("date-invalid", rx(birth="昭和35年2月30日 男"), rx())
# ---- Drug lines
case("strength-missing",
     rx(body=plain("Rp1 ジスロマック錠 2錠 【患者希望】", acet, usage)),
     rx())
case("dose-missing",
     rx(body=plain("Rp1 ジスロマック錠250mg 【患者希望】", acet, usage)),
     rx())
case("usage-missing",
     rx(body=plain(wish, acet)),
     rx())
case("days-missing",
     rx(body=plain(wish, acet, "1日1回朝食後")),
     rx())
case("uneven-division",
     rx(body=plain("Rp1 アセトアミノフェン錠300mg 3錠", "1日2回朝夕食後 5日分")),
     rx(body=plain("Rp1 アセトアミノフェン錠300mg 3錠（2-1）", "1日2回朝夕食後 5日分")))
case("patch-amount",
     rx(body=plain("Rp1 モーラステープ20mg 28枚", "腰部に貼付")),
     rx(body=plain("Rp1 モーラステープ20mg 28枚", "1日1回 1回1枚 腰部に貼付")))
case("refill-count",
     rx(body=plain("Rp1 アムロジン錠5mg 1錠", "1日1回朝食後 30日分"), refill="レ（4回）"),
     rx(body=plain("Rp1 アムロジン錠5mg 1錠", "1日1回朝食後 30日分"), refill="レ（3回）"))
case("refill-not-allowed",
     rx(body=plain("Rp1 レンドルミン錠0.25mg 1錠", "1日1回就寝前 14日分"), refill="レ（2回）"),
     rx(body=plain("Rp1 アムロジン錠5mg 1錠", "1日1回朝食後 30日分"), refill="レ（2回）"))
case("days-over-limit",
     rx(body=plain("Rp1 レンドルミン錠0.25mg 1錠", "1日1回就寝前 35日分")),
     rx(body=plain("Rp1 レンドルミン錠0.25mg 1錠", "1日1回就寝前 30日分")))
case("unclosed-list",
     rx(body=plain(wish, acet, usage, close=False)),
     rx())
# ---- Reading
case("mark-ambiguous",
     rx(body=[NEW_HEADER, "\t\tRp1 ジスロマック錠250mg 2錠", f"\t\t{acet}", f"\tレ\t{usage}", "\t\t以下余白"]),
     rx(body=[NEW_HEADER, "\tレ\tRp1 ジスロマック錠250mg 2錠", f"\t\t{acet}", f"\t\t{usage}", "\t\t以下余白"]))
case("unknown-drug",
     rx(body=plain("Rp1 シホウセンテスト錠10mg 1錠", usage)),
     rx())
case("unparsed-line",
     rx(body=plain(wish, acet, "＃＃＊＊？？", usage)),
     rx())
jahis_bad_rp = JAHIS_BASE + ["201,3,1,1,1,,ゼチーア錠１０ｍｇ,1,1,錠"]
jahis_kind8 = JAHIS_BASE + ["281,1,1,1,8,先発医薬品患者希望,"]
case("jahis-structure", jahis(jahis_bad_rp), jahis(JAHIS_BASE))
case("jahis-version", jahis(["JAHIS9"] + jahis_kind8[1:]), jahis(jahis_kind8))

extra_quiet = {
    # A written 使用期間 replaces the 4-day default.
    "expired-quiet-written-period": (rx(period="令和6年10月14日"), "--date 2024-10-10", ["expired"]),
    # Per-dose amounts are already divided.
    "uneven-division-quiet-per-dose": (rx(body=plain("Rp1 アセトアミノフェン錠300mg 1回1錠", "1日3回毎食後 5日分")), D, ["uneven-division"]),
    # A nitrate tape is not a 湿布薬.
    "patch-amount-quiet-nitrate-tape": (rx(body=plain("Rp1 フランドルテープ40mg 28枚", "1日1回 胸部に貼付")), D, ["patch-amount"]),
    # The old form before October 2024 needs no 医療上必要.
    "nosub-no-reason-quiet-before-rule": (rx(issued="令和6年9月27日", body=[OLD_HEADER, "レ\tRp1 ジスロマック錠250mg 2錠", f"\t{acet}", f"\t{usage}", "\t以下余白"], sign=True), "--date 2024-09-30", ["nosub-no-reason", "old-layout"]),
    # External drugs have no days.
    "days-missing-quiet-external": (rx(body=plain("Rp1 ボルタレンローション1% 50g", "1日数回 患部に塗布")), D, ["days-missing", "usage-missing", "dose-missing"]),
    # A 一般名 line without marks is dispensed as a generic: nothing to judge.
    "brand-unmarked-quiet-general-name": (rx(body=plain("Rp1 【般】アジスロマイシン錠250mg 2錠", acet, usage)), D, ["brand-unmarked", "general-name-wish", "general-name-nosub"]),
    # Issued before October 2024: no charge even with 患者希望.
    "selective-care-quiet-before-rule": (rx(issued="令和6年9月30日"), D, ["selective-care", "wish-not-target"]),
    # 生活保護 with 患者希望: the generic is dispensed, no charge.
    "selective-care-quiet-welfare": (rx(insurer=None, public=("12131017", "1234566")), D, ["selective-care"]),

    # The 2D symbol has no 以下余白 line and no signature box: neither rule applies to it.
    "unclosed-list-quiet-jahis": (jahis(JAHIS_BASE + ["281,1,1,1,3,後発品変更不可,"]), D, ["unclosed-list", "nosub-unsigned"]),
    # A comment line in the 処方 block is not a drug without an amount.
    "dose-missing-quiet-comment": (rx(body=plain(wish, acet, usage, "※一包化")), D, ["dose-missing", "unknown-drug", "unparsed-line"]),
    # No 公費 at all: absence is not a check-digit failure.
    "public-payer-check-digit-quiet-absent": (rx(insurer=None), D, ["public-payer-check-digit", "insurer-check-digit", "recipient-check-digit"]),
}

os.makedirs(OUT, exist_ok=True)
def write(stem, text, args, key, ids):
    with open(f"{OUT}/{stem}.txt", "w", encoding="utf-8", newline="") as f:
        f.write(text)
    with open(f"{OUT}/{stem}.args", "w") as f:
        f.write(args + "\n")
    with open(f"{OUT}/{stem}.expected.json", "w") as f:
        json.dump({key: ids}, f, ensure_ascii=False)
        f.write("\n")

for rule, ((ft, fa), (qt, qa)) in cases.items():
    write(f"{rule}-fires", ft, fa, "findings_include", [rule])
    write(f"{rule}-quiet", qt, qa, "findings_exclude", [rule])
for stem, (t, a, ids) in extra_quiet.items():
    write(stem, t, a, "findings_exclude", ids)
print(len(cases), "rules")
