#!/usr/bin/env python3
"""Writes corpus/text/*.txt and their hand-written expected JSON.

The expected facts below were written by hand from the text of each case (and FORMATS.md),
not copied from program output. Run from the crate root: python3 corpus/tools/make_text_corpus.py
`.sjis.txt` cases are written as Shift_JIS (cp932) bytes.
"""
import json, os

OUT = os.path.join(os.path.dirname(__file__), "..", "text")
cases = {}

def A(v, u, b):
    return {"value": str(v), "unit": u, "basis": b}

def case(name, text, expected, sjis=False):
    cases[name] = (text, expected, sjis)

NOF = {"no_substitution": False, "patient_wish": False}

# 1-2. The seed's two excerpts are copied verbatim from the seed file (not generated here).
cases["seed_old_form_excerpt"] = (None, {
    "layout": "old",
    "items": [
        {"name": "A錠", "general_name": False, "category": "internal", "days": 28, "times_per_day": 1,
         "flags": {"no_substitution": True, "patient_wish": False, "medical_need_written": True}},
        {"name": "B錠", "days": 28, "flags": {"no_substitution": False, "patient_wish": True}},
        {"name": "C錠", "days": 28, "flags": NOF},
        {"name": "D錠", "general_name": True, "days": 28, "times_per_day": 2, "flags": NOF},
    ],
    "findings_exclude": ["unparsed-line", "mark-ambiguous"],
}, False)
cases["seed_new_form_excerpt"] = (None, {"layout": "new", "issued": None, "items": []}, False)

# 3. The fee engineer's plain corpus (FEES worked examples + categories).
cases["fee_examples_plain"] = (None, {
    "layout": "unknown",
    "items": [
        {"rp": 1, "name": "ジスロマック錠250mg", "category": "internal", "amount": A(2, "錠", "per_day"), "days": 3, "times_per_day": 1,
         "flags": {"patient_wish": True, "no_substitution": False}},
        {"rp": 1, "name": "アセトアミノフェン錠300mg", "category": "internal", "amount": A(1, "錠", "per_day"), "days": 3, "flags": NOF},
        {"rp": 2, "name": "アリセプト錠5mg", "amount": A(1, "錠", "per_day"), "days": 14, "flags": {"patient_wish": True}},
        {"rp": 3, "name": "フェキソフェナジン塩酸塩錠60mg", "amount": A(2, "錠", "per_day"), "days": 14, "times_per_day": 2},
        {"rp": 4, "name": "パタノール点眼液0.1%", "category": "external", "amount": A(2, "本", "total"), "days": None, "times_per_day": 4},
        {"rp": 5, "name": "レンドルミン錠0.25mg", "category": "as_needed", "amount": A(1, "錠", "per_dose"), "times": 10, "days": None},
        {"rp": 6, "name": "フランドルテープ40mg", "category": "external", "amount": A(28, "枚", "total"), "times_per_day": 1},
    ],
    "findings_exclude": ["unparsed-line"],
}, False)

HEADER_TABS = """処方箋
（この処方箋は、どの保険薬局でも有効です。）
公費負担者番号\t21136017\t保険者番号\t138057
公費負担医療の受給者番号\t1234566\t被保険者証・被保険者手帳の記号・番号\t北１２・３４（枝番）02
氏名\t鈴木　花子\t生年月日\t平成2年11月3日　女
区分\t被扶養者\t交付年月日\t令和6年11月5日
保険医療機関の所在地及び名称\t大阪府大阪市中央区本町１－２－３　みどり内科医院
電話番号\t06-1111-2222\t保険医氏名\t田中　一郎　㊞
都道府県番号\t27\t点数表番号\t1\t医療機関コード\t01・2345・6
"""
HEADER_EXPECT = {
    "issued": "2024-11-05",
    "patient": {"name": "鈴木 花子", "birth_date": "1990-11-03", "sex": "female", "insured_kind": "dependent"},
    "insurance": {"insurer_number": "138057", "symbol": "北12", "number": "34", "branch": "02",
                  "public_expense": [{"payer_number": "21136017", "recipient_number": "1234566"}]},
    "institution": {"name": "みどり内科医院", "address": "大阪府大阪市中央区本町1-2-3", "phone": "06-1111-2222",
                    "prefecture_code": "27", "fee_table_code": "1", "code": "0123456"},
    "prescriber": {"name": "田中 一郎", "signed": True},
}

# 4. New form, tab cells, every column glyph.
case("new_tabs_glyphs", HEADER_TABS + """処方箋の使用期間\t令和6年11月8日まで
変更不可（医療上必要）\t患者希望\t処方
✓\t\t1) ムコダイン錠500mg　3錠　分3　毎食後　7日分
\t✔\t2) アムロジン錠5mg　1錠　1日1回朝食後　28日分
☑\t\t3) ネキシウムカプセル20mg　1カプセル　1日1回朝食後　28日分
\t✅\t4) ガスター錠20mg　2錠　1日2回朝夕食後　14日分
✕\t\t5) リピトール錠10mg　1錠　1日1回夕食後　28日分
\t✖\t6) マイスリー錠5mg　1錠　1日1回就寝前　14日分
x\t\t7) アレグラ錠60mg　2錠　1日2回朝夕食後　14日分
\tX\t8) タケキャブ錠10mg　1錠　1日1回朝食後　28日分
○\t\t9) メチコバール錠500μg　3錠　1日3回毎食後　28日分
\t●\t10) ミヤBM錠　3錠　1日3回毎食後　7日分
■\t\t11) ムコスタ錠100mg　3錠　1日3回毎食後　7日分
\t\t12) 【般】レバミピド錠100mg　3錠　1日3回毎食後　7日分
\t\t以下余白
リフィル可\t□（　回）
備考\t\t保険医署名\t田中　一郎
□保険医療機関へ疑義照会した上で調剤　□保険医療機関へ情報提供
""", dict(HEADER_EXPECT, layout="new", refill={"allowed": False, "count": None},
          prescriber={"name": "田中 一郎", "signed": True, "nosub_signature": True},
          items=[{"index": i + 1, "rp": i + 1, "flags": {"no_substitution": i % 2 == 0 and i < 11, "patient_wish": i % 2 == 1 and i < 11}}
                 for i in range(12)],
          findings_exclude=["mark-ambiguous", "unparsed-line"]))
exp = cases["new_tabs_glyphs"][1]
exp["items"][0].update(name="ムコダイン錠500mg", amount=A(3, "錠", "per_day"), times_per_day=3, days=7, category="internal")
exp["items"][2].update(name="ネキシウムカプセル20mg", amount=A(1, "カプセル", "per_day"))
exp["items"][8].update(name="メチコバール錠500μg")
exp["items"][11].update(name="レバミピド錠100mg", general_name=True)

# 5. New form, space-aligned columns (display width), marks under their labels.
case("new_columns", """処方箋
保険者番号  06132015      氏名  山田　太郎
生年月日  昭和35年4月12日  男      区分  被保険者
交付年月日  令和6年10月1日
保険医療機関の所在地及び名称  東京都千代田区神田駿河台２－３－４　さくらクリニック
電話番号  03-1234-5678      保険医氏名  佐藤　花子　印
変更不可（医療上必要）  患者希望  処方
                                  Rp1 ジスロマック錠250mg  2錠
                        レ        Rp2 アリセプト錠5mg  1錠
                                      1日1回朝食後  14日分
レ                                Rp3 ムコダイン錠500mg  3錠
                                      分3  毎食後  7日分
                        ×         Rp4 ヒルドイドソフト軟膏0.3%  25g
                                      1日2回  患部に塗布
                                  以下余白
""", {"layout": "new", "issued": "2024-10-01",
      "patient": {"name": "山田 太郎", "birth_date": "1960-04-12", "sex": "male", "insured_kind": "insured"},
      "insurance": {"insurer_number": "06132015"},
      "institution": {"name": "さくらクリニック", "phone": "03-1234-5678"},
      "prescriber": {"name": "佐藤 花子", "signed": True},
      "items": [
          {"rp": 1, "name": "ジスロマック錠250mg", "amount": A(2, "錠", "per_day"), "flags": NOF, "days": 14},
          {"rp": 1, "name": "アリセプト錠5mg", "amount": A(1, "錠", "per_day"), "flags": {"no_substitution": False, "patient_wish": True}, "days": 14},
          {"rp": 3, "name": "ムコダイン錠500mg", "days": 7, "times_per_day": 3, "flags": {"no_substitution": True, "patient_wish": False}},
          {"rp": 4, "name": "ヒルドイドソフト軟膏0.3%", "category": "external", "amount": A(25, "g", "total"), "days": None,
           "flags": {"no_substitution": False, "patient_wish": True}},
      ],
      "findings_exclude": ["mark-ambiguous", "unparsed-line"]})
# NB: "Rp2" inside the row above is written after a mark; Rp numbers as written win.
cases["new_columns"][1]["items"][1]["rp"] = 2
cases["new_columns"][1]["items"][0]["days"] = None

# 6. Old form, space-aligned columns, レ + 医療上必要 and ※患者希望 written by hand.
case("old_columns", """交付年月日  令和6年10月7日
変更不可  処方
レ 医療上必要  1) ジスロマック錠250mg  2錠  1日1回夕食後  3日分
               2) アリセプト錠5mg  1錠  1日1回朝食後  14日分  ※患者希望
×              3) リリカカプセル75mg  2カプセル  1日2回朝夕食後  14日分
               以下余白
""", {"layout": "old", "issued": "2024-10-07", "items": [
    {"name": "ジスロマック錠250mg", "days": 3, "flags": {"no_substitution": True, "medical_need_written": True, "patient_wish": False}},
    {"name": "アリセプト錠5mg", "days": 14, "flags": {"no_substitution": False, "patient_wish": True}},
    {"name": "リリカカプセル75mg", "amount": A(2, "カプセル", "per_day"), "days": 14,
     "flags": {"no_substitution": True, "medical_need_written": False, "patient_wish": False}},
], "findings_exclude": ["mark-ambiguous", "unparsed-line"]})

# 7. Old form, tab cells with the vertical 処/方 label.
case("old_tabs", """交付年月日\t令和6年9月30日
変更不可\t\t処方
処\t×\t1) ノルバスク錠5mg 1錠 1日1回朝食後 30日分
方\t\t2) リピトール錠10mg 1錠 1日1回夕食後 30日分
\tレ\t3) 【般】ロキソプロフェンNa錠60mg 3錠 1日3回毎食後 5日分
\t\t以下余白
""", {"layout": "old", "issued": "2024-09-30", "items": [
    {"name": "ノルバスク錠5mg", "general_name": False, "flags": {"no_substitution": True, "patient_wish": False}, "days": 30},
    {"name": "リピトール錠10mg", "flags": NOF},
    {"name": "ロキソプロフェンNa錠60mg", "general_name": True, "amount": A(3, "錠", "per_day"), "times_per_day": 3, "days": 5,
     "flags": {"no_substitution": True, "patient_wish": False}},
], "findings_exclude": ["mark-ambiguous"]})

# 8-12. The clinic EMR lines of samples/text/emr-text-lines.txt.
case("emr_karonaru_comment", """院外処方
１）カロナール錠３００ｍｇ　３錠
　　分３　毎食後　５日分
頭痛がする。
""", {"layout": "unknown", "items": [
    {"rp": 1, "name": "カロナール錠300mg", "category": "internal", "amount": A(3, "錠", "per_day"), "times_per_day": 3, "days": 5}],
    "findings_exclude": ["unparsed-line"]})
case("emr_two_groups_rp", """院外処方
Ｒｐ）
１）カロナール錠３００ｍｇ　３錠
　　分３　毎食後　５日分
　２）フロモックス錠３００ｍｇ　３錠
　　分３　毎食後　５日分
１　カロナール錠３００ｍｇ　３錠
　　分３　毎食後　５日分
""", {"items": [
    {"rp": 1, "name": "カロナール錠300mg", "days": 5},
    {"rp": 2, "name": "フロモックス錠300mg", "amount": A(3, "錠", "per_day"), "days": 5},
    {"rp": 1, "name": "カロナール錠300mg", "days": 5}],
    "findings_exclude": ["unparsed-line"]})
case("emr_group_nosub_trail", """カロナール錠３００ｍｇ　３錠
フロモックス錠１００ｍｇ　３錠
分３　毎食後　５日分
（後発品に変更不可）
以上、一包化
@_comment: コメント
""", {"items": [
    {"rp": 1, "name": "カロナール錠300mg", "days": 5, "flags": {"no_substitution": True}},
    {"rp": 1, "name": "フロモックス錠100mg", "days": 5, "flags": {"no_substitution": True}}],
    "findings_exclude": ["unparsed-line"]})
case("emr_nine_groups", """院外処方
１）アムロジピン（２．５）　１錠
　　分１　朝食後　６０日分
２）カンデサルタン（８）　１錠
　　イリボー（５）　２錠
　　分１　朝食後　６０日分
３）アロプリノール（１００）　２錠
　　分２　朝夕食後　６０日分
４）アテノロール（２５）　１錠
　　分１　朝食後　６０日分
５）ニフェジピンＣＲ（１０）　１錠
　　分１　寝る前　６０日分
６）オメプラゾール（２０）　１錠
　　分１　朝食後　１４日分
７）チアトン（５）　２カプセル
　　分２　朝夕食後　１４日分
　　（後発品に変更不可）
８）アドエア２５０ディスカス２８吸入用　２８ブリスター
　　１キット
　　１回１吸入、１日２回（朝、夕）
９）モーラステープ２％（７ｘ１０ｃｍ）　６３枚
　　１日１回、１回２枚、背部に貼付
@memo:高７
@memo:イリボーを増量しました。
""", {"layout": "unknown", "items": [
    {"rp": 1, "name": "アムロジピン(2.5)", "amount": A(1, "錠", "per_day"), "days": 60, "times_per_day": 1, "flags": NOF},
    {"rp": 2, "name": "カンデサルタン(8)", "days": 60},
    {"rp": 2, "name": "イリボー(5)", "amount": A(2, "錠", "per_day"), "days": 60},
    {"rp": 3, "name": "アロプリノール(100)", "times_per_day": 2, "days": 60},
    {"rp": 4, "name": "アテノロール(25)", "days": 60},
    {"rp": 5, "name": "ニフェジピンCR(10)", "days": 60},
    {"rp": 6, "name": "オメプラゾール(20)", "days": 14, "flags": NOF},
    {"rp": 7, "name": "チアトン(5)", "amount": A(2, "カプセル", "per_day"), "days": 14, "flags": {"no_substitution": True}},
    {"rp": 8, "name": "アドエア250ディスカス28吸入用", "category": "external", "amount": A(28, "ブリスター", "total"), "times_per_day": 2, "days": None},
    {"rp": 9, "name": "モーラステープ2%(7x10cm)", "category": "external", "amount": A(63, "枚", "total"), "times_per_day": 1, "days": None}],
    "findings_exclude": ["unparsed-line"]})
case("emr_rendormin_loxonin_tape", """院外処方
１）レンドルミンＤ錠０．２５ｍｇ　　　　　１錠
　　分１　就寝前　　　　　　　　　　　　　３０日分
２）ロキソニンテープ１００ｍｇ（１０ｃｍｘ１５ｃｍ） 
　　６３枚
　　１日１回、１回１枚、膝に貼付
""", {"items": [
    {"rp": 1, "name": "レンドルミンD錠0.25mg", "category": "internal", "amount": A(1, "錠", "per_day"), "days": 30, "times_per_day": 1},
    {"rp": 2, "name": "ロキソニンテープ100mg(10cmx15cm)", "category": "external", "amount": A(63, "枚", "total"), "days": None, "times_per_day": 1}],
    "findings_exclude": ["unparsed-line"]})
case("emr_drawer_forms", """院外処方
Ｒｐ）
１）カロナール錠５００ｍｇ　３錠
　分３　毎食後　５日分
２）デルモベート軟膏０．０５％５ｇ　５ｇ
　１日２回　患部に塗布
３）アローゼン顆粒　０．５ｇ
　分１　就寝前　７日分
４）プレドニン錠５ｍｇ　６錠（３－２－１）
　分３　毎食後　５日分
５）ロキソニン錠６０ｍｇ　１回１錠
　１日３回　毎食後　５日分
６）カロナール錠３００ｍｇ　１回０．５錠
　１日２回　朝夕食後　３日分
@memo:オンライン対応
""", {"items": [
    {"rp": 1, "name": "カロナール錠500mg", "amount": A(3, "錠", "per_day"), "days": 5},
    {"rp": 2, "name": "デルモベート軟膏0.05%5g", "category": "external", "amount": A(5, "g", "total"), "times_per_day": 2},
    {"rp": 3, "name": "アローゼン顆粒", "category": "internal", "amount": A("0.5", "g", "per_day"), "days": 7},
    {"rp": 4, "name": "プレドニン錠5mg", "amount": A(6, "錠", "per_day"), "days": 5, "times_per_day": 3},
    {"rp": 5, "name": "ロキソニン錠60mg", "amount": A(1, "錠", "per_dose"), "times_per_day": 3, "days": 5},
    {"rp": 6, "name": "カロナール錠300mg", "amount": A("0.5", "錠", "per_dose"), "times_per_day": 2, "days": 3}],
    "findings_exclude": ["unparsed-line"]})

# 13-15. Dosage texts of samples/text/fhir-dosage-examples.txt, typed as clinic lines.
case("fhir_uneven_weekday_alternate", """処方
Rp1 プレドニン錠５ｍｇ
    １日３回　毎食後　７錠（４錠－２錠－１錠）　７日分
Rp2 プレドニン５ｍｇ錠
    内服・経口・１日１回朝食後　１回４錠　７日分
Rp3 プレドニン５ｍｇ錠
    内服・経口・１日１回昼食後　１回２錠　７日分
Rp4 プレドニン５ｍｇ錠
    内服・経口・１日１回夕食後　１回１錠　７日分
Rp5 プレドニン錠５ｍｇ
    １日３回　朝昼夕食後　１回１錠　７日分（隔日投与）
Rp6 プレドニン錠５ｍｇ
    １日１回　朝食後　１回１錠　（月曜日、木曜日）
以下余白
""", {"items": [
    {"rp": 1, "name": "プレドニン錠5mg", "category": "internal", "amount": A(7, "錠", "per_day"), "times_per_day": 3, "days": 7},
    {"rp": 2, "name": "プレドニン5mg錠", "amount": A(4, "錠", "per_dose"), "times_per_day": 1, "days": 7},
    {"rp": 3, "amount": A(2, "錠", "per_dose"), "days": 7},
    {"rp": 4, "amount": A(1, "錠", "per_dose"), "days": 7},
    {"rp": 5, "amount": A(1, "錠", "per_dose"), "times_per_day": 3, "days": 7},
    {"rp": 6, "category": "internal", "amount": A(1, "錠", "per_dose"), "times_per_day": 1, "days": None}],
    "findings_exclude": ["unparsed-line"]})
case("fhir_external", """処方
Rp1 チモプトール点眼薬０．２５％５ｍＬ　２本
    外用・点眼・１日３回　１回１滴（右眼）
Rp2 リンデロンＶＧクリーム５ｇ　２本
    １日３回患部に塗布（膝）
Rp3 ネリプロクト坐剤　２８個
    外用・肛門挿入・１日２回朝夕　1回1個（1日2個）
以下余白
""", {"items": [
    {"name": "チモプトール点眼薬0.25%5mL", "category": "external", "amount": A(2, "本", "total"), "times_per_day": 3, "days": None},
    {"name": "リンデロンVGクリーム5g", "category": "external", "amount": A(2, "本", "total"), "times_per_day": 3},
    {"name": "ネリプロクト坐剤", "category": "external", "amount": A(28, "個", "total"), "times_per_day": 2}],
    "findings_exclude": ["unparsed-line"]})
case("fhir_internal_nosub", """処方
Rp1 カルボシステイン２５０ｍｇ錠　後発品変更不可
    内服・経口・１日３回朝昼夕食後　１回１錠　７日分
Rp2 ペルマックス５０μｇ錠
    １日１回　夕食後　１回１錠　２日分
Rp3 ペルマックス５０μｇ錠
    １日２回　朝夕食後　１回１錠　３日分
以下余白
""", {"items": [
    {"name": "カルボシステイン250mg錠", "amount": A(1, "錠", "per_dose"), "times_per_day": 3, "days": 7,
     "flags": {"no_substitution": True, "patient_wish": False}},
    {"name": "ペルマックス50μg錠", "amount": A(1, "錠", "per_dose"), "times_per_day": 1, "days": 2, "flags": NOF},
    {"name": "ペルマックス50μg錠", "times_per_day": 2, "days": 3}],
    "findings_exclude": ["unparsed-line"]})

# 16-17. OCR-noisy renderings: spaces inside labels, full/half width, misread glyphs.
case("ocr_noisy_new", """処 方 箋
保 険 者 番 号  ０６１３２０１５
氏 名  山 田　太 郎
生 年 月 日  S35.4.12  ㊚
交 付 年 月 日  Ｒ６．１０．３
変更不可（医療上必要）  患者希望  処方
V                                 Ｒｐ１　ｼﾞｽﾛﾏｯｸ錠２５０ｍｇ  ２錠
                                      １日１回夕食後  ３日分
                        ﾚ         Ｒｐ２　ｱﾘｾﾌﾟﾄ錠５ｍｇ  １錠
                                      １日１回朝食後  １４日分
                                  以 下 余 白
""", {"layout": "new", "issued": "2024-10-03",
      "insurance": {"insurer_number": "06132015"},
      "patient": {"name": "山 田 太 郎", "birth_date": "1960-04-12", "sex": "male"},
      "items": [
          {"rp": 1, "name": "ジスロマック錠250mg", "amount": A(2, "錠", "per_day"), "days": 3, "flags": {"no_substitution": True, "patient_wish": False}},
          {"rp": 2, "name": "アリセプト錠5mg", "days": 14, "flags": {"no_substitution": False, "patient_wish": True}}],
      "findings_exclude": ["mark-ambiguous", "unparsed-line"]})
case("ocr_noisy_old_tabs", """交 付 年 月 日\t令和６年１０月１５日
変 更 不 可\t処 方
✓\t1 ) ﾑｺﾀﾞｲﾝ錠500mg 3錠 分3 毎食後 7日分
\t２） (般) ｶﾙﾎﾞｼｽﾃｲﾝ錠250mg ３錠 分３ 毎食後 ７日分
\t以下余白
""", {"layout": "old", "issued": "2024-10-15", "items": [
    {"name": "ムコダイン錠500mg", "flags": {"no_substitution": True}, "days": 7},
    {"name": "カルボシステイン錠250mg", "general_name": True, "flags": {"no_substitution": False}, "days": 7}],
    "findings_exclude": ["mark-ambiguous", "unparsed-line"]})

# 18. Inline annotations in every bracket style; commentary is not a wish.
case("inline_annotations_plain", """処方
Rp1 A錠10mg 1錠 変更不可
Rp2 B錠10mg 1錠 【変更不可】
Rp3 C錠10mg 1錠 （後発品に変更不可）
Rp4 D錠10mg 1錠 後発品変更不可
Rp5 E錠10mg 1錠 医療上必要
Rp6 F錠10mg 1錠 患者希望
Rp7 G錠10mg 1錠 ※患者希望
Rp8 H錠10mg 1錠 【患者希望】
Rp9 I錠10mg 1錠 （患者希望）
Rp10 J錠10mg 1錠 先発品希望
Rp11 K錠10mg 1錠 剤形変更不可
Rp12 L錠10mg 1錠 含量規格変更不可
Rp13 M錠10mg 1錠 剤形・含量規格変更不可
Rp14 N錠10mg 1錠 患者が先発希望なら選定療養の対象
    1日1回朝食後 7日分
以下余白
""", {"items": [
    {"name": "A錠10mg", "flags": {"no_substitution": True, "patient_wish": False, "medical_need_written": False}},
    {"name": "B錠10mg", "flags": {"no_substitution": True}},
    {"name": "C錠10mg", "flags": {"no_substitution": True}},
    {"name": "D錠10mg", "flags": {"no_substitution": True}},
    {"name": "E錠10mg", "flags": {"no_substitution": True, "medical_need_written": True}},
    {"name": "F錠10mg", "flags": {"patient_wish": True, "no_substitution": False}},
    {"name": "G錠10mg", "flags": {"patient_wish": True}},
    {"name": "H錠10mg", "flags": {"patient_wish": True}},
    {"name": "I錠10mg", "flags": {"patient_wish": True}},
    {"name": "J錠10mg", "flags": {"patient_wish": True}},
    {"name": "K錠10mg", "flags": {"no_form_change": True, "no_strength_change": False, "no_substitution": False}},
    {"name": "L錠10mg", "flags": {"no_form_change": False, "no_strength_change": True, "no_substitution": False}},
    {"name": "M錠10mg", "flags": {"no_form_change": True, "no_strength_change": True, "no_substitution": False}},
    {"name": "N錠10mg", "days": 7, "flags": {"patient_wish": False, "no_substitution": False}}],
    "findings_exclude": ["unparsed-line"]})

# 19. 一般名 markers and Rp numbering styles.
case("general_markers_rp_styles", """処方
Rp1 【般】アムロジピン錠5mg 1錠
Rp.2 (般)ロキソプロフェンNa錠60mg 3錠
Ｒｐ３ （般）レバミピド錠１００ｍｇ　３錠
4) ［般］ファモチジン錠20mg 2錠
５）ムコスタ錠100mg 3錠
【6】 ガスモチン錠5mg 3錠
⑦ ビオフェルミン錠剤 3錠
    1日3回毎食後 7日分
以下余白
""", {"items": [
    {"rp": 1, "name": "アムロジピン錠5mg", "general_name": True, "amount": A(1, "錠", "per_day")},
    {"rp": 2, "name": "ロキソプロフェンNa錠60mg", "general_name": True},
    {"rp": 3, "name": "レバミピド錠100mg", "general_name": True},
    {"rp": 4, "name": "ファモチジン錠20mg", "general_name": True},
    {"rp": 5, "name": "ムコスタ錠100mg", "general_name": False},
    {"rp": 6, "name": "ガスモチン錠5mg", "general_name": False},
    {"rp": 7, "name": "ビオフェルミン錠剤", "general_name": False, "days": 7, "times_per_day": 3}],
    "findings_exclude": ["unparsed-line"]})

# 20. 注射 / 頓服 / 外用 totals, plain.
case("categories_plain", """院外処方
Rp1 ヒューマログ注ミリオペン 2本
    1日3回 毎食直前 皮下注射
Rp2 ペンニードル32G 70本
Rp3 カロナール錠200 2錠
    頓用 発熱時 10回分（1回量400㎎）
Rp4 ボルタレンサポ25mg 5個
    疼痛時 5回分
Rp5 モーラスパップXR120mg 35枚
    1日1回 腰に貼付
以下余白
""", {"items": [
    {"rp": 1, "name": "ヒューマログ注ミリオペン", "category": "injection", "amount": A(2, "本", "total"), "times_per_day": 3},
    {"rp": 2, "name": "ペンニードル32G", "amount": A(70, "本", "total")},
    {"rp": 3, "name": "カロナール錠200", "category": "as_needed", "amount": A(2, "錠", "per_dose"), "times": 10, "days": None},
    {"rp": 4, "name": "ボルタレンサポ25mg", "category": "as_needed", "times": 5},
    {"rp": 5, "name": "モーラスパップXR120mg", "category": "external", "amount": A(35, "枚", "total")}],
    "findings_exclude": ["unparsed-line"]})

# 21. A mark that sits between the columns, and one too far left in tab cells.
case("mark_ambiguous_columns", """変更不可（医療上必要）  患者希望  処方
                      レ          Rp1 ジスロマック錠250mg  2錠  1日1回夕食後  3日分
                                  以下余白
""", {"layout": "new", "items": [{"name": "ジスロマック錠250mg", "flags": {"no_substitution": False, "patient_wish": False}}],
      "findings_include": ["mark-ambiguous"]})
case("mark_ambiguous_tabs", """変更不可（医療上必要）\t患者希望\t処方
レ\t\t\t1) ジスロマック錠250mg 2錠 1日1回夕食後 3日分
\t\t以下余白
""", {"layout": "new", "items": [{"name": "ジスロマック錠250mg", "flags": {"no_substitution": False, "patient_wish": False}}],
      "findings_include": ["mark-ambiguous"]})

# 22. Unreadable lines inside the block.
case("unparsed_line", """処方
Rp1 ムコダイン錠500mg 3錠
    分3 毎食後 7日分
    %%%% ##
Rp2 ガスター錠20mg 2錠
    分2 朝夕食後 7日分
以下余白
""", {"items": [{"name": "ムコダイン錠500mg", "days": 7}, {"name": "ガスター錠20mg", "days": 7}],
      "findings_include": ["unparsed-line"]})

# 23. Invalid dates stay null with a finding.
case("date_invalid", """氏名 佐々木 次郎
生年月日 光文5年1月1日
交付年月日 令和6年2月30日
処方
Rp1 ムコダイン錠500mg 3錠
    分3 毎食後 7日分
以下余白
""", {"issued": None, "patient": {"name": "佐々木 次郎", "birth_date": None},
      "items": [{"name": "ムコダイン錠500mg"}], "findings_include": ["date-invalid"]})

# 24. Header as plain lines with spaces, other date spellings, ticked boxes.
case("header_plain_spaces", """処方箋
公費負担者番号 12131012 公費負担医療の受給者番号 0123456
保険者番号 39131015
記号・番号 1234・567 枝番 00
氏名 高橋 節子  フリガナ ﾀｶﾊｼ ｾﾂｺ
生年月日 S15.2.29 ○女
区分 被保険者・○被扶養者
交付年月日 2024/10/10
処方箋の使用期間 令和6年10月20日まで
保険医療機関の所在地及び名称 福岡県福岡市中央区天神1-1-1 天神ひふ科
電話番号 092-000-1111
保険医氏名 中村 健
都道府県番号 40 点数表番号 1 医療機関コード 40・1234・5
処方
Rp1 アンテベート軟膏0.05% 10g
    1日2回 患部に塗布
以下余白
リフィル可 ☑（2回）
備考 保険医署名 中村 健 印
■保険医療機関へ疑義照会した上で調剤　□保険医療機関へ情報提供
""", {"issued": "2024-10-10",
      "patient": {"name": "高橋 節子", "kana": "タカハシ セツコ", "birth_date": "1940-02-29", "sex": "female", "insured_kind": "dependent"},
      "insurance": {"insurer_number": "39131015", "symbol": "1234", "number": "567", "branch": "00",
                    "public_expense": [{"payer_number": "12131012", "recipient_number": "0123456"}]},
      "institution": {"name": "天神ひふ科", "address": "福岡県福岡市中央区天神1-1-1", "phone": "092-000-1111",
                      "prefecture_code": "40", "fee_table_code": "1", "code": "4012345"},
      "prescriber": {"name": "中村 健", "signed": True, "nosub_signature": True},
      "refill": {"allowed": True, "count": 2},
      "items": [{"name": "アンテベート軟膏0.05%", "category": "external", "amount": A(10, "g", "total")}],
      "findings_exclude": ["unparsed-line", "date-invalid"]})

# 25-26. Shift_JIS bytes.
case("sjis_new_tabs", """処方箋
氏名\t伊藤　美咲\t生年月日\t平成12年1月5日　女
交付年月日\t令和6年12月2日
変更不可（医療上必要）\t患者希望\t処方
\t×\t1) アレジオン錠20　1錠　1日1回就寝前　14日分
×\t\t2) 【般】モンテルカスト錠10mg　1錠　1日1回就寝前　14日分
\t\t以下余白
""", {"layout": "new", "issued": "2024-12-02", "patient": {"name": "伊藤 美咲", "birth_date": "2000-01-05", "sex": "female"},
      "items": [
          {"name": "アレジオン錠20", "flags": {"patient_wish": True, "no_substitution": False}, "days": 14},
          {"name": "モンテルカスト錠10mg", "general_name": True, "flags": {"patient_wish": False, "no_substitution": True}, "days": 14}],
      "findings_exclude": ["mark-ambiguous", "unparsed-line"]}, sjis=True)
case("sjis_plain_emr", """院外処方
Ｒｐ）
１）ムコダイン錠５００ｍｇ　３錠
　　分３　毎食後　７日分
２）トランサミン錠２５０ｍｇ　３錠
　　分３　毎食後　７日分
　　（後発品に変更不可）
""", {"items": [
    {"rp": 1, "name": "ムコダイン錠500mg", "days": 7, "flags": {"no_substitution": False}},
    {"rp": 2, "name": "トランサミン錠250mg", "days": 7, "flags": {"no_substitution": True}}],
    "findings_exclude": ["unparsed-line"]}, sjis=True)

# 27. Half-width katakana and full-width everything, uneven doses.
case("width_mix_uneven", """処方
１）ﾌﾟﾚﾄﾞﾆﾝ錠５ｍｇ　６錠（３－２－１）
　　１日３回　毎食後　７日分
２）ｶﾛﾅｰﾙ錠２００　１回２錠
　　疼痛時　５回分
以下余白
""", {"items": [
    {"name": "プレドニン錠5mg", "amount": A(6, "錠", "per_day"), "days": 7, "times_per_day": 3},
    {"name": "カロナール錠200", "category": "as_needed", "amount": A(2, "錠", "per_dose"), "times": 5}],
    "findings_exclude": ["unparsed-line"]})

# 28. New form in columns with both marks on one drug and the wish mark in 「患者希望」.
case("new_columns_both_marks", """変更不可（医療上必要）  患者希望  処方
レ                      レ        1) リリカOD錠75mg  2錠  1日2回朝夕食後  14日分
                                  2) 【般】セレコキシブ錠100mg  2錠  1日2回朝夕食後  14日分
                                  以下余白
""", {"layout": "new", "items": [
    {"name": "リリカOD錠75mg", "flags": {"no_substitution": True, "patient_wish": True}},
    {"name": "セレコキシブ錠100mg", "general_name": True, "flags": NOF}],
    "findings_exclude": ["mark-ambiguous"]})

# 29. Plain lines with no header at all: layout unknown; Rp numbering with 【n】 and ①.
case("plain_circled_rp", """①ツムラ葛根湯エキス顆粒　７．５ｇ
　分３　毎食前　５日分
②トラネキサム酸錠２５０ｍｇ　３錠
　分３　毎食後　５日分
以下余白
""", {"layout": "unknown", "items": [
    {"rp": 1, "name": "ツムラ葛根湯エキス顆粒", "amount": A("7.5", "g", "per_day"), "days": 5, "times_per_day": 3},
    {"rp": 2, "name": "トラネキサム酸錠250mg", "days": 5}],
    "findings_exclude": ["unparsed-line"]})

# 30. Columns with single-space header labels, a vertical label glued to rows, OCR-split amounts, 内服用滴剤.
case("columns_single_space_header", """交付年月日  令和6年10月21日
変更不可（医療上必要） 患者希望 処方
                       ✔       処 1) ジスロマック錠250mg 2 錠 1日1回夕食後 3日分
✔                              方 2) ラキソベロン内用液0.75% 10mL
                                     1日1回 就寝前 10滴
                                  以下余白
""", {"layout": "new", "issued": "2024-10-21", "items": [
    {"name": "ジスロマック錠250mg", "amount": A(2, "錠", "per_day"), "days": 3, "flags": {"no_substitution": False, "patient_wish": True}},
    {"name": "ラキソベロン内用液0.75%", "category": "drops", "amount": A(10, "mL", "total"), "days": None,
     "flags": {"no_substitution": True, "patient_wish": False}}],
    "findings_exclude": ["mark-ambiguous", "unparsed-line"]})

# 31. Marks glued to the drug text by one space: columns bind by x; tabs with two columns cannot.
case("glued_marks_columns", """変更不可（医療上必要）  患者希望  処方
レ 1) ジスロマック錠250mg 2錠 1日1回夕食後 3日分
                        × 2) アリセプト錠5mg 1錠 1日1回朝食後 14日分
以下余白
""", {"layout": "new", "items": [
    {"name": "ジスロマック錠250mg", "flags": {"no_substitution": True, "patient_wish": False}},
    {"name": "アリセプト錠5mg", "flags": {"no_substitution": False, "patient_wish": True}}],
    "findings_exclude": ["mark-ambiguous", "unparsed-line"]})
case("glued_mark_tabs_ambiguous", """変更不可（医療上必要）\t患者希望\t処方
レ 1) ジスロマック錠250mg 2錠 1日1回夕食後 3日分
\t\t以下余白
""", {"layout": "new", "items": [
    {"name": "ジスロマック錠250mg", "days": 3, "flags": {"no_substitution": False, "patient_wish": False}}],
    "findings_include": ["mark-ambiguous"]})

for name, (text, expected, sjis) in cases.items():
    if text is not None:
        fname = f"{name}.sjis.txt" if sjis else f"{name}.txt"
        data = text.encode("cp932") if sjis else text.encode("utf-8")
        with open(os.path.join(OUT, fname), "wb") as f:
            f.write(data)
    with open(os.path.join(OUT, f"{name}.expected.json"), "w", encoding="utf-8") as f:
        json.dump(expected, f, ensure_ascii=False, indent=2)
        f.write("\n")
print(len(cases), "cases")
