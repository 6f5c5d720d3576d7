"""Synthetic corpus of department budget documents in the 2024 appendix layout (xiamen-appendix).

    python bench/generate.py --departments N --years 2015-2025 --seed S --out DIR

The real 2024 document of 厦门市人力资源和社会保障局 (data/raw/xiamen/hrss/) is the template:
its prose, headings, table headers, performance tables and layout quirks are kept, and every
table and every figure is re-rendered for other departments (codes 401…499 and on, units
dept+3 digits, other unit names), other years and other amounts. Subjects are drawn from the
functional-classification codes the real documents print; years before 2021 print the
pre-2021 codes of the 人力资源事务 款 (2011001 … instead of 2080101 …).

Every amount is generated as integer cents (分 of 万元) at the leaves and summed upwards, so
every accounting identity and every cross-table agreement the ingest relies on holds exactly:
合计 = 小计 + 小计, 小计 = 基本 + 项目, 基本 = 人员 + 公用, parent = Σ children; 附件3 财政拨款 =
附件5; 附件5 合计 basic = 附件6 合计; 附件2 合计 = 附件1 income; 附件3 non-fiscal split = 附件10
支出结构; 附件7 = the prose 三公 figures; 附件10 tasks partition the fiscal project money;
附件11 projects partition all project money and 附件9; the 第二部分 sentences and numbered line
items print the same figures as the tables.

Layout quirks kept from the real document: a blank line between printed lines, a leading
space on the first line of a page (with no blank line before it), page numbers alone on a
line between rows, wrapped table rows (code alone, name wrapped, figures on a later line),
blank cells simply missing, thousands separators.

Generation is deterministic: the same seed gives the same bytes. Every document is kept as
generated: nothing is filtered or regenerated. With verification (the default; --no-verify
skips it) each document is parsed by the ingest, and a document it does not read with full
fidelity and without a non-info finding (an ambiguous placement, any other ingest error, a
fidelity gap) is a parser limit: generation fails naming every such document (they stay on
disk, listed under "failures" in manifest.json).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import math
import os
import random
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "data" / "raw" / "xiamen" / "hrss" / "xiamen-hrss-2024-budget.txt"
TEMPLATE_YEAR = 2024
TEMPLATE_DEPARTMENT = "厦门市人力资源和社会保障局"
TEMPLATE_CODE = "403"
# Bump when the output for a given seed changes: cached corpora are regenerated.
GENERATOR_VERSION = 3

# -- the classification (names as the real documents print them) ------------------------------------

CLASS_NAMES = {"201": "一般公共服务支出", "205": "教育支出", "206": "科学技术支出", "208": "社会保障和就业支出",
               "210": "卫生健康支出", "213": "农林水支出", "215": "资源勘探工业信息等支出"}
SECTION_NAMES = {"20110": "人力资源事务", "20503": "职业教育", "20605": "科技条件与服务",
                 "20801": "人力资源和社会保障管理事务", "20805": "行政事业单位养老支出", "20807": "就业补助",
                 "20808": "抚恤", "20810": "社会福利", "20826": "财政对基本养老保险基金的补助",
                 "20899": "其他社会保障和就业支出", "21011": "行政事业单位医疗", "21308": "普惠金融发展支出",
                 "21599": "其他资源勘探工业信息等支出"}

# The 附件1/附件4 list of 类, in print order, with the code of each.
OVERVIEW_CLASSES = (
    ("一般公共服务支出", "201"), ("外交支出", "202"), ("国防支出", "203"), ("公共安全支出", "204"),
    ("教育支出", "205"), ("科学技术支出", "206"), ("文化旅游体育与传媒支出", "207"), ("社会保障和就业支出", "208"),
    ("社会保险基金支出", "209"), ("卫生健康支出", "210"), ("节能环保支出", "211"), ("城乡社区支出", "212"),
    ("农林水支出", "213"), ("交通运输支出", "214"), ("资源勘探工业信息等支出", "215"), ("商业服务业等支出", "216"),
    ("金融支出", "217"), ("援助其他地区支出", "219"), ("自然资源海洋气象等支出", "220"), ("住房保障支出", "221"),
    ("粮油物资储备支出", "222"), ("国有资本经营预算支出", "223"), ("灾害防治及应急管理支出", "224"),
    ("预备费", "227"), ("其他支出", "229"), ("转移性支出", "230"), ("债务还本支出", "231"), ("债务付息支出", "232"),
    ("债务发行费用支出", "233"), ("抗疫特别国债安排的支出", "234"))
NUMERALS = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四", "十五", "十六",
            "十七", "十八", "十九", "二十", "二十一", "二十二", "二十三", "二十四", "二十五", "二十六", "二十七",
            "二十八", "二十九", "三十"]


@dataclass(frozen=True)
class SubjectSpec:
    """One 项 of the catalogue: its 2024 figures in 万元 (personnel, public, project) give
    its kind and scale; project money goes to a 一级项目 (附件11) and a 年度工作任务 (附件10)."""

    code: str
    name: str
    personnel: float
    public: float
    project: float
    project_key: str | None
    task: str | None
    items: tuple[str, ...]
    purpose: str
    core: bool = False


S = SubjectSpec
SUBJECTS: tuple[SubjectSpec, ...] = (
    S("2050303", "技校教育", 0, 0, 3644, "vocational", "education",
      ("免学费补助项目", "助学金项目", "奖学金项目", "民办技工院校教师节慰问金项目"),
      "主要用于中等职业教育奖助学金和民办技校教师节慰问金支出。"),
    S("2060599", "其他科技条件与服务支出", 0, 0, 616, "it", "security", ("信息化项目尾款", "实体市民卡项目"),
      "主要用于信息化项目尾款和实体市民卡项目支出。"),
    S("2080101", "行政运行", 2428, 608, 0, None, None, (), "主要用于局机关和下属参公单位人员经费和公用经费支出。", True),
    S("2080102", "一般行政管理事务", 0, 0, 1232, "special", "talent", ("事务业务费",), "主要用于业务费支出。"),
    S("2080105", "劳动保障监察", 1314, 370, 74.7, "special", "labour", ("劳动监察业务费",),
      "主要用于监察支队的基本支出和监察业务费支出。"),
    S("2080106", "就业管理事务", 0, 0, 160, "special", "employment", ("就业管理事务工作经费",),
      "主要用于就业管理事务工作经费支出。"),
    S("2080107", "社会保险业务管理事务", 0, 0, 1301, "special", "security", ("社保业务专项经费", "社保卡制作费"),
      "主要用于管理社保业务的部门专项支出及咨询和社保卡制作费支出。"),
    S("2080108", "信息化建设", 0, 0, 1467, "it", "security", ("社保信息化项目经费",), "主要用于信息化项目支出。"),
    S("2080109", "社会保险经办机构", 3672, 747, 3348, "special", "security",
      ("信息系统升级、维护及监理费", "前台经办收件业务等辅助性工作费用", "社保业务专项经费", "被征地养老保险经办服务",
       "退休人员社会化管理业务经费"),
      "主要用于社会保险中心的基本支出、专项业务费支出和退休人员社会化管理业务经费支出。"),
    S("2080111", "公共就业服务和职业技能鉴定机构", 1248, 340, 801, "special", "employment",
      ("鉴定考试考务费及分成与业务管理经费", "职业技能提升发展经费"),
      "主要用于就业中心和鉴定中心的基本支出、鉴定考试考务费与业务管理经费支出。"),
    S("2080112", "劳动人事争议调解仲裁", 336, 104, 476, "special", "labour", ("仲裁办案工作经费",),
      "主要用于仲裁院的基本支出和仲裁办案工作经费支出。"),
    S("2080114", "资助留学回国人员", 0, 0, 550, "talent", "talent", ("高层次留学人员生活津贴、科研资助及交流活动费",),
      "主要用于高层次留学人员生活津贴、科研资助及交流活动费支出。"),
    S("2080116", "引进人才费用", 0, 0, 32994, "talent", "talent", ("人才住房补贴和新引进人才生活补贴", "人才开发"),
      "主要用于人才开发、人才住房补贴和新引进人才生活补贴支出。"),
    S("2080150", "事业运行", 951, 1302, 0, None, None, (), "主要用于下属事业单位基本支出。"),
    S("2080199", "其他人力资源和社会保障管理事务支出", 0, 0, 2764, "special", "talent",
      ("保存人事关系及档案保管整理", "各种考试考务经费", "人力资源市场运营经费", "留学人员服务经费"),
      "主要用于下属事业单位专项业务费和各种考试考务经费支出。"),
    S("2080501", "行政单位离退休", 1352, 0, 0, None, None, (), "主要用于机关和各参公事业单位离退休人员支出。", True),
    S("2080502", "事业单位离退休", 70, 0, 437, "special", "security", ("代管退休人员经费",),
      "主要用于代管退休人员经费支出和事业单位退休人员支出。"),
    S("2080505", "机关事业单位基本养老保险缴费支出", 1036, 0, 0, None, None, (),
      "主要用于机关和各下属事业单位基本养老保险缴费支出。", True),
    S("2080506", "机关事业单位职业年金缴费支出", 651, 0, 0, None, None, (),
      "主要用于机关和各下属事业单位职业年金缴费支出。", True),
    S("2080599", "其他行政事业单位养老支出", 0, 0, 275, "welfare", "security", ("退休人员补差经费",),
      "主要用于代发的退休人员补差经费支出。"),
    S("2080701", "就业创业服务补贴", 0, 0, 4312, "employment", "employment",
      ("产业企业帮扶及创业补助相关经费", "公共就业服务能力提升示范项目", "促进就业交流服务经费"),
      "主要用于产业企业帮扶及创业补助相关经费、公共就业服务能力提升示范项目和促进就业交流服务经费支出。", True),
    S("2080702", "职业培训补贴", 0, 0, 132, "employment", "employment", ("职业能力培养专项经费",),
      "主要用于职业能力培养专项经费支出。"),
    S("2080704", "社会保险补贴", 0, 0, 8136, "employment", "employment", ("社保补贴补差经费",),
      "主要用于社保补贴补差经费支出。"),
    S("2080711", "就业见习补贴", 0, 0, 1680, "employment", "employment", ("大中专毕业生见习补贴",),
      "主要用于大中专毕业生见习补贴支出。"),
    S("2080713", "促进创业补贴", 0, 0, 1000, "employment", "employment", ("在厦院校毕业生求职创业补贴",),
      "主要用于在厦院校毕业生求职创业补贴支出。"),
    S("2080799", "其他就业补助支出", 0, 0, 1921, "employment", "employment",
      ("“益鹭保”保费补贴", "公共就业服务能力提升示范项目"), "主要用于“益鹭保”保费补贴和公共就业服务能力提升示范项目支出。"),
    S("2080899", "其他优抚支出", 0, 0, 2250, "welfare", "security", ("企业退休军转干部专项生活补贴",),
      "主要用于企业退休军转干部专项生活补贴。"),
    S("2081099", "其他社会福利支出", 0, 0, 3775, "welfare", "security",
      ("二轻等改制单位离退休经费", "无力参保的城镇集体企业退休人员老年生活保障金生活补助", "企业离休干部无工作遗属定期定额生活补助"),
      "主要用于无力参保的城镇集体企业退休人员老年生活保障金生活补助和二轻等改制单位离退休经费支出。"),
    S("2082601", "财政对企业职工基本养老保险基金的补助", 0, 0, 61036, "welfare", "security", ("企业养老保险地方承担支出",),
      "主要用于企业养老保险地方承担支出。"),
    S("2082602", "财政对城乡居民基本养老保险基金的补助", 0, 0, 9251, "welfare", "security", ("城乡居民养老保险补助",),
      "主要用于城乡居民养老保险补助支出。"),
    S("2089999", "其他社会保障和就业支出", 0, 0, 303, "welfare", "security", ("补充（工伤）生活护理费",),
      "主要用于补充（工伤）生活护理费支出。"),
    S("2101101", "行政单位医疗", 383, 0, 0, None, None, (), "主要用于机关和下属参公事业单位医疗保险缴费支出。", True),
    S("2101102", "事业单位医疗", 56, 0, 0, None, None, (), "主要用于下属非参公事业单位医疗保险缴费支出。"),
    S("2101103", "公务员医疗补助", 184, 0, 0, None, None, (), "主要用于机关和下属参公事业单位公务员医疗补助缴费支出。"),
    S("2101199", "其他行政事业单位医疗支出", 25, 0, 0, None, None, (), "主要用于下属非参公事业单位医疗补助缴费支出。"),
    S("2130804", "创业担保贷款贴息及奖补", 0, 0, 100, "loan", "employment", ("创业担保贷款贴息及奖补经费",),
      "主要用于创业担保贷款贴息及奖补经费支出。"),
    S("2159999", "其他资源勘探工业信息等支出", 0, 0, 841, "it", "security",
      ("被征地人员养老保险系统建设", "人社业务综合管理平台业务拓展建设"), "主要用于被征地人员养老保险系统建设和业务综合管理平台业务拓展建设支出。"),
)
SUBJECT_BY_CODE = {s.code: s for s in SUBJECTS}
SECTION_OF = {s.code: s.code[:5] for s in SUBJECTS}

# Years before 2021 print the 人力资源事务 款 (20110, 类 201) where the 2020 document does.
# Read from the crosswalk seed when present (its 2020 rows that move 20110xx codes into 208);
# this hard-coded copy is the fallback and matches the seed as written.
PRE_2021_CODES_FALLBACK = {"2080101": ("2011001", "行政运行"), "2080114": ("2011005", "资助留学回国人员"),
                           "2080116": ("2011008", "引进人才费用"), "2080150": ("2011050", "事业运行"),
                           "2080199": ("2011099", "其他人力资源事务支出")}


def pre_2021_codes() -> dict[str, tuple[str, str]]:
    crosswalk = ROOT / "seeds" / "classification" / "subject_code_crosswalk.csv"
    names_file = ROOT / "seeds" / "classification" / "subject_names_by_year.csv"
    try:
        with crosswalk.open(encoding="utf-8") as f:
            rows = [r for r in csv.DictReader(f) if int(r["fiscal_year"]) < 2021
                    and r["reported_code"].startswith("20110") and r["new_code"].startswith("208")]
        names = {}
        if names_file.exists():
            with names_file.open(encoding="utf-8") as f:
                names = {r["subject_code"]: r["subject_name"] for r in csv.DictReader(f)
                         if int(r["fiscal_year"]) < 2021}
        mapping = {r["new_code"]: (r["reported_code"], names.get(r["reported_code"]) or
                                   PRE_2021_CODES_FALLBACK.get(r["new_code"], ("", r["reported_name"]))[1])
                   for r in rows}
        return mapping or dict(PRE_2021_CODES_FALLBACK)
    except (OSError, KeyError, ValueError):
        return dict(PRE_2021_CODES_FALLBACK)


PRE_2021 = pre_2021_codes()

# 附件6 economic classes: 301 and 303 are personnel, 302 and 310 public (as in the real table).
ECONOMIC_CLASSES = {"301": "工资福利支出", "302": "商品和服务支出", "303": "对个人和家庭的补助", "310": "资本性支出"}
ECONOMIC_ITEMS = {
    "301": (("30101", "基本工资"), ("30102", "津贴补贴"), ("30103", "奖金"), ("30107", "绩效工资"),
            ("30108", "机关事业单位基本养老保险缴费"), ("30109", "职业年金缴费"), ("30110", "职工基本医疗保险缴费"),
            ("30111", "公务员医疗补助缴费"), ("30112", "其他社会保障缴费"), ("30113", "住房公积金"),
            ("30199", "其他工资福利支出")),
    "302": (("30201", "办公费"), ("30202", "印刷费"), ("30203", "咨询费"), ("30204", "手续费"), ("30205", "水费"),
            ("30206", "电费"), ("30207", "邮电费"), ("30209", "物业管理费"), ("30211", "差旅费"),
            ("30213", "维修（护）费"), ("30215", "会议费"), ("30216", "培训费"), ("30217", "公务接待费"),
            ("30226", "劳务费"), ("30228", "工会经费"), ("30229", "福利费"), ("30231", "公务用车运行维护费"),
            ("30239", "其他交通费用"), ("30299", "其他商品和服务支出")),
    "303": (("30301", "离休费"), ("30302", "退休费"), ("30304", "抚恤金"), ("30305", "生活补助"),
            ("30307", "医疗费补助"), ("30399", "其他对个人和家庭的补助")),
    "310": (("31002", "办公设备购置"), ("31099", "其他资本性支出")),
}

# 一级项目 (附件11), in the template's order; index = the template's 附件11 table.
PROJECTS = (("special", "专项业务费", "部门专项"), ("loan", "创业担保贷款贴息", "发展经费"),
            ("vocational", "技工院校中等职业教育", "发展经费"), ("it", "信息化专项资金", "发展经费"),
            ("employment", "就业专项资金", "发展经费"), ("welfare", "其他社会保障补助", "发展经费"),
            ("talent", "人才扶持", "发展经费"), ("t_talent", "人才扶持（对区转移支付）", "transfer"),
            ("t_reward", "人才引进与培养专项经费", "transfer"), ("t_soe", "其他社会保障补助", "transfer"),
            ("t_employment", "就业专项资金", "transfer"))

# 附件9 transfer rows: (key, subject code, subject name, fund nature, transfer type, project name, project).
TRANSFERS = (("T1", "2080199", "其他人力资源和社会保障管理事务支出", "一般公共预算资金", "一般性转移支付", "高层次人才奖励",
              "t_reward"),
             ("T2", "2080701", "就业创业服务补贴", "一般公共预算资金", "一般性转移支付", "东西部劳务协作奖补资金",
              "t_employment"),
             ("T3", "2230105", "国有企业退休人员社会化管理补助支出", "国有资本经营预算资金", None,
              "国有企业退休人员社会化管理补助资金", "t_soe"),
             ("T4", "2080116", "引进人才费用", "一般公共预算资金", "专项转移支付", "新引进人才生活补贴", "t_talent"),
             ("T5", "2080701", "就业创业服务补贴", "一般公共预算资金", "专项转移支付", "职业能力培养经费", "t_employment"))
TRANSFER_BASE = {"T1": 2918, "T2": 47, "T3": 194, "T4": 17513, "T5": 154}

# 附件10 年度工作任务 with their indicators (name, direction, value, unit), as the template prints them.
TASKS = (
    ("talent", "人才队伍建设", (("台湾特聘专家补贴人数", "等于", 150, "人"), ("享受新引进人才生活补贴人数", "大于等于", 2000, "人"),
                            ("高层次留学人员生活津贴补贴人数", "大于等于", 48, "人"), ("考试场次", "大于等于", 15, "场"))),
    ("employment", "促进就业和创业", (("享受大中专毕业生见习补贴及保险费补贴人数", "大于等于", 550, "人"),
                               ("享受在厦高校毕业年度内毕业生创业求职创业补贴人数", "大于等于", 4000, "人"),
                               ("灵活就业社保补贴人数", "大于等于", 10557, "人"))),
    ("labour", "促进和谐劳动关系", (("劳动人事争议仲裁结案率", "大于等于", 90, "%"),
                              ("劳动保障监察举报投诉案件结案率", "大于等于", 98, "%"))),
    ("security", "健全社会保障体系", (("参加基本养老保险人数", "大于等于", 557, "万人"),
                                ("敬老节、春节慰问困难退休人员", "大于等于", 7200, "人"))),
    ("education", "发展中等职业教育", (("中等职业学校国家助学金应受助学生数", "大于等于", 1000, "人"),)),
)

DEPARTMENT_DOMAINS = (
    "教育", "科学技术", "工业和信息化", "民政", "司法", "财政", "自然资源和规划", "生态环境", "建设", "交通运输", "农业农村",
    "水利", "商务", "文化和旅游", "卫生健康", "退役军人事务", "应急管理", "审计", "市场监督管理", "体育", "统计",
    "医疗保障", "城市管理", "信访", "大数据", "金融监督管理", "港口", "海洋发展", "园林", "市政园林", "口岸",
    "会展", "粮食和物资储备", "供销合作", "侨务", "民族与宗教事务", "机关事务管理", "公共资源交易", "住房保障",
    "人民防空", "地震", "气象", "档案", "地方志", "台湾事务", "外事", "投资促进", "行政审批", "发展和改革", "公安",
    "消防救援", "综合执法", "知识产权", "营商环境", "市容环境卫生", "无线电管理", "海洋渔业", "林业", "水务",
    "国有资产监督管理", "政务服务", "科技创新", "人才发展", "就业服务", "社会保险", "劳动监察", "旅游发展", "湿地保护",
    "古籍保护", "职业教育", "残疾人事业", "妇女儿童", "老龄事业", "爱国卫生", "红十字事业", "慈善事业")
DEPARTMENT_SUFFIXES = ("局", "委员会", "事务中心", "管理委员会")
DISTRICTS = ("思明区", "湖里区", "集美区", "海沧区", "同安区", "翔安区")
UNIT_KINDS = ("服务中心", "发展中心", "执法支队", "信息中心", "研究院", "事务中心", "监测站", "培训中心", "档案馆",
              "评审中心", "宣传中心", "保障中心", "技术中心", "指导中心", "考试中心", "交流中心", "运营中心", "鉴定中心")
INCOME_SOURCES = ("business_income", "operating_income", "superior_subsidy", "other_income")
UNIT_INCOME_COLUMNS = ("total", "current_subtotal", "general_public_budget", "government_fund", "state_capital",
                       "fiscal_special_account", "business_income", "operating_income", "superior_subsidy",
                       "subordinate_remittance", "other_income", "carryover_subtotal",
                       "carryover_general_public_budget", "carryover_government_fund", "carryover_state_capital",
                       "carryover_fiscal_special_account", "carryover_unit_funds")


# -- amounts ----------------------------------------------------------------------------------------------

def money(cents: int) -> str:
    """'159,318.40' from 15931840."""
    return f"{cents // 100:,}.{cents % 100:02d}"


def money_short(cents: int) -> str:
    """As the project paragraphs print: '3,644' when whole, else '1,748.77'."""
    return f"{cents // 100:,}" if cents % 100 == 0 else money(cents)


def percent(change: int, previous: int) -> str:
    value = abs(change) * 10000 // previous if previous else 0  # hundredths of a percent, truncated
    rest = abs(change) * 10000 % previous if previous else 0
    if previous and rest * 2 >= previous:
        value += 1
    return f"{value // 100}.{value % 100:02d}"


class Amounts:
    """A random source of cent amounts that keeps the amounts of one table family apart:
    no two leaves within 5 cents of each other, so no swap of equal figures can make a
    placement ambiguous (the ingest tolerates 2 cents of rounding)."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: dict[str, set[int]] = {}

    def _free(self, family: str, value: int) -> bool:
        used = self.used.setdefault(family, set())
        return all(value + d not in used for d in range(-5, 6))

    def take(self, family: str, value: int) -> int:
        value = max(value, 50)
        while not self._free(family, value):
            value += self.rng.randint(6, 40)
        self.used[family].add(value)
        return value

    def scaled(self, family: str, base_wan: float, factor: float) -> int:
        return self.take(family, int(round(base_wan * factor * 100)))

    def split(self, family: str, total: int, parts: int, minimum: int = 100) -> list[int]:
        """`parts` distinct amounts adding up to `total` exactly (fewer if total is small)."""
        parts = max(1, min(parts, total // max(minimum, 1)))
        for _ in range(50):
            if parts == 1:
                values = [total]
            else:
                weights = [self.rng.uniform(0.2, 1.0) for _ in range(parts)]
                scale = total / sum(weights)
                values = [max(minimum, int(w * scale)) for w in weights[:-1]]
                values.append(total - sum(values))
            apart = all(abs(a - b) > 5 for i, a in enumerate(values) for b in values[i + 1:])
            if values[-1] >= minimum and apart and all(self._free(family, v) for v in values):
                self.used.setdefault(family, set()).update(values)
                return values
            if parts > 1 and self.rng.random() < 0.2:
                parts -= 1
        self.used.setdefault(family, set()).update(values)
        return values


# -- departments and their yearly budgets ------------------------------------------------------------------

@dataclass
class Unit:
    code: str
    name: str
    alias: str | None
    funding: str
    weight: float


@dataclass
class Department:
    index: int
    code: str
    name: str
    domain: str
    units: list[Unit]
    subjects: list[str]
    scale: float
    growth: float
    nf_project_subjects: list[str]
    nf_basic_subject: str | None
    nf_sources: list[tuple[int, str]]  # (unit index, source column)
    transfers: list[tuple[str, int]]  # (transfer key, unit index)
    vehicle_purchase_years: set[int]


def department_names(seed: int, count: int) -> list[tuple[str, str]]:
    names = [(f"厦门市{domain}{suffix}", domain) for suffix in DEPARTMENT_SUFFIXES for domain in DEPARTMENT_DOMAINS]
    rng = random.Random(f"names:{seed}")
    first = names[:len(DEPARTMENT_DOMAINS)]
    rest = names[len(DEPARTMENT_DOMAINS):]
    rng.shuffle(first)
    rng.shuffle(rest)
    # Past the city's own departments come its districts' (区级部门): a city's whole corpus.
    # Appended after the city list so a corpus of up to 304 departments keeps its bytes.
    districts = [(f"厦门市{district}{domain}{suffix}", domain) for district in DISTRICTS
                 for suffix in DEPARTMENT_SUFFIXES for domain in DEPARTMENT_DOMAINS]
    rng.shuffle(districts)
    ordered = first + rest + districts
    if count > len(ordered):
        raise SystemExit(f"at most {len(ordered)} departments")
    return ordered[:count]


def department_codes(count: int) -> list[str]:
    codes = [str(c) for c in range(401, 500) if c != 403]
    codes += [str(c) for block in (range(301, 400), range(501, 600), range(601, 700), range(201, 300))
              for c in block]
    # The ingest reads a department code as three digits; beyond 494 departments the rest of
    # the three-digit space, appended so smaller corpora keep their codes.
    codes += [f"{c:03d}" for block in (range(101, 200), range(701, 1000), range(1, 100)) for c in block]
    if count > len(codes):
        raise SystemExit(f"at most {len(codes)} departments (three-digit codes)")
    return codes[:count]


def make_department(seed: int, index: int, code: str, name: str, domain: str) -> Department:
    rng = random.Random(f"department:{seed}:{index}")
    unit_count = rng.randint(3, 13)
    units = [Unit(f"{code}001", name, None, "全额", rng.uniform(1.5, 3.0))]
    kinds = list(UNIT_KINDS)
    rng.shuffle(kinds)
    number = 1
    for k in range(unit_count - 1):
        number += rng.choice((1, 1, 1, 2, 3))
        unit_name = f"厦门市{domain}{kinds[k % len(kinds)]}"
        if k >= len(kinds):
            unit_name = f"厦门市{domain}第{NUMERALS[k // len(kinds)]}{kinds[k % len(kinds)]}"
        alias = None
        if rng.random() < 0.2:
            other = rng.choice([d for d in DEPARTMENT_DOMAINS if d != domain])
            alias = f"厦门市{other}{rng.choice(UNIT_KINDS)}"
        funding = rng.choices(("全额", "差额", "自收自支"), (0.75, 0.15, 0.10))[0]
        units.append(Unit(f"{code}{number:03d}", unit_name, alias, funding, rng.uniform(0.2, 1.5)))
    subjects = [s.code for s in SUBJECTS if s.core or rng.random() < 0.5]
    with_project = [c for c in subjects if SUBJECT_BY_CODE[c].project]
    nf_project_subjects: list[str] = []
    nf_basic_subject = None
    nf_sources: list[tuple[int, str]] = []
    if rng.random() < 0.65:
        nf_project_subjects = rng.sample(with_project, min(len(with_project), rng.randint(1, 3)))
        if rng.random() < 0.3:
            nf_basic_subject = rng.choice([c for c in subjects if SUBJECT_BY_CODE[c].personnel])
        pairs = [(u, s) for u in range(len(units)) for s in INCOME_SOURCES]
        nf_sources = sorted(rng.sample(pairs, rng.randint(1, min(3, len(pairs)))))
    transfer_keys = [t[0] for t in TRANSFERS if rng.random() < 0.5] or [rng.choice(TRANSFERS)[0]]
    transfers = [(key, rng.randrange(len(units))) for key in transfer_keys]
    return Department(index, code, name, domain, units, subjects, scale=math.exp(rng.uniform(math.log(0.04), 0.3)),
                      growth=rng.uniform(0.97, 1.09), nf_project_subjects=nf_project_subjects,
                      nf_basic_subject=nf_basic_subject, nf_sources=nf_sources, transfers=transfers,
                      vehicle_purchase_years={y for y in range(2010, 2031) if rng.random() < 0.12})


@dataclass
class Leaf:
    code: str
    name: str
    personnel: int = 0
    public: int = 0
    project: int = 0
    nf_basic: int = 0
    nf_project: int = 0
    items: list[tuple[str, int]] = field(default_factory=list)
    spec: SubjectSpec | None = None

    @property
    def basic(self) -> int:
        return self.personnel + self.public

    @property
    def fiscal(self) -> int:
        return self.basic + self.project


@dataclass
class Budget:
    """Every figure of one department-year, in cents."""

    department: Department
    year: int
    attempt: int
    leaves: list[Leaf]
    economic: dict[str, int]  # 5-digit code -> cents (personnel for 301/303, public for 302/310)
    unit_income: list[dict[str, int]]
    nf_personnel: int
    three_public: dict[str, int]
    transfers: list[dict]
    office: int
    procurement: tuple[int, int, int]
    vehicles: int
    equipment: int
    plan: list[int]  # 考务费 quarterly plan in 人才扶持
    indicator_factor: float
    prior: "Summary"

    # -- derived ------------------------------------------------------------------------------------------
    @property
    def gpb(self) -> int:
        return sum(l.fiscal for l in self.leaves)

    @property
    def non_fiscal(self) -> int:
        return sum(l.nf_basic + l.nf_project for l in self.leaves)

    @property
    def total(self) -> int:
        return self.gpb + self.non_fiscal

    @property
    def personnel(self) -> int:
        return sum(l.personnel for l in self.leaves)

    @property
    def public(self) -> int:
        return sum(l.public for l in self.leaves)

    @property
    def project(self) -> int:
        return sum(l.project for l in self.leaves)

    @property
    def transfer_total(self) -> int:
        return sum(t["amount"] for t in self.transfers)

    def income(self, column: str) -> int:
        return sum(u.get(column, 0) for u in self.unit_income)

    def summary(self) -> "Summary":
        tp = self.three_public
        return Summary(self.total, self.gpb, tp["outbound_travel"], tp["official_reception"],
                       tp["vehicle_subtotal"], self.office)


@dataclass(frozen=True)
class Summary:
    """What next year's document compares with."""

    total: int
    gpb: int
    outbound: int
    reception: int
    vehicle: int
    office: int


def subject_code(code: str, year: int) -> tuple[str, str]:
    spec = SUBJECT_BY_CODE[code]
    if year < 2021 and code in PRE_2021:
        return PRE_2021[code]
    return spec.code, spec.name


def make_budget(department: Department, year: int, seed: int, attempt: int, prior: Summary | None) -> Budget:
    rng = random.Random(f"budget:{seed}:{department.index}:{year}:{attempt}")
    amounts = Amounts(rng)
    factor = department.scale * department.growth ** (year - TEMPLATE_YEAR)
    leaves: list[Leaf] = []
    for code in department.subjects:
        spec = SUBJECT_BY_CODE[code]
        printed_code, name = subject_code(code, year)
        leaf = Leaf(printed_code, name, spec=spec)

        def amount(base: float) -> int:
            return amounts.scaled("subject", base, factor * rng.uniform(0.7, 1.3)) if base else 0

        leaf.personnel, leaf.public, leaf.project = amount(spec.personnel), amount(spec.public), amount(spec.project)
        if code in department.nf_project_subjects and leaf.project:
            leaf.nf_project = amounts.take("subject", int(leaf.project * rng.uniform(0.03, 0.35)))
        if code == department.nf_basic_subject and leaf.personnel:
            leaf.nf_basic = amounts.take("subject", int(leaf.personnel * rng.uniform(0.1, 0.5)))
        if leaf.project:
            names = list(spec.items)
            count = rng.randint(1, len(names))
            chosen = names[:1] + rng.sample(names[1:], count - 1) if count > 1 else names[:1]
            values = amounts.split("items", leaf.project, len(chosen))
            leaf.items = list(zip(chosen[:len(values)], values))
        leaves.append(leaf)
    leaves.sort(key=lambda l: l.code)
    budget_personnel = sum(l.personnel for l in leaves)
    budget_public = sum(l.public for l in leaves)

    # 三公: reception and vehicle operation come out of the public money; 附件6 shows the
    # basic part of them (30217 ≤ reception, 30231 = vehicle operation).
    reception = amounts.take("three", max(100, int(budget_public * rng.uniform(0.002, 0.012))))
    operation = amounts.take("three", max(100, int(budget_public * rng.uniform(0.002, 0.01))))
    purchase = amounts.take("three", int(rng.uniform(15, 30) * 100)) if year in department.vehicle_purchase_years else 0
    outbound = amounts.take("three", int(rng.uniform(3, 12) * 100)) if rng.random() < 0.15 else 0
    three = {"outbound_travel": outbound, "vehicle_purchase": purchase, "vehicle_operation": operation,
             "vehicle_subtotal": purchase + operation, "official_reception": reception}
    three["total"] = outbound + three["vehicle_subtotal"] + reception

    economic: dict[str, int] = {}
    tied = {"30109": "2080506", "30111": "2101103"}
    by_code = {l.spec.code: l for l in leaves}
    personnel_items = [c for c, _ in ECONOMIC_ITEMS["301"] if c in ("30101", "30102") or rng.random() < 0.7]
    personnel_items += [c for c, _ in ECONOMIC_ITEMS["303"] if rng.random() < 0.5]
    fixed_personnel = {c: by_code[s].personnel for c, s in tied.items() if s in by_code and c in personnel_items}
    free = [c for c in personnel_items if c not in fixed_personnel]
    rest = budget_personnel - sum(fixed_personnel.values())
    if rest < 100 * len(free):  # the tied items would leave too little: untie them
        fixed_personnel, free, rest = {}, personnel_items, budget_personnel
    for c in fixed_personnel:
        amounts.used.setdefault("economic", set()).add(fixed_personnel[c])
    economic.update(fixed_personnel)
    economic.update(zip(free, amounts.split("economic", rest, len(free))))
    public_items = [c for c, _ in ECONOMIC_ITEMS["302"] if c in ("30201", "30299") or rng.random() < 0.6]
    public_items += [c for c, _ in ECONOMIC_ITEMS["310"] if rng.random() < 0.5]
    reception_basic = amounts.take("economic", max(50, int(reception * rng.uniform(0.3, 0.9))))
    fixed_public = {"30217": reception_basic, "30231": operation}
    amounts.used["economic"].add(operation)
    free = [c for c in public_items if c not in fixed_public]
    rest = budget_public - sum(fixed_public.values())
    economic.update(fixed_public)
    economic.update(zip(free, amounts.split("economic", rest, len(free))))
    economic = {c: v for c, v in economic.items() if v}

    # 附件2: the general public budget over the units, non-fiscal income over its sources.
    units = department.units
    weights = [u.weight * rng.uniform(0.8, 1.2) for u in units]
    gpb = sum(l.fiscal for l in leaves)
    shares = [int(gpb * w / sum(weights)) for w in weights]
    shares[0] += gpb - sum(shares)
    income = [{"general_public_budget": amounts.take("unit", s)} for s in shares]
    income[0]["general_public_budget"] += gpb - sum(i["general_public_budget"] for i in income)
    non_fiscal = sum(l.nf_basic + l.nf_project for l in leaves)
    if non_fiscal:
        sources = department.nf_sources
        parts = amounts.split("unit", non_fiscal, len(sources))
        for (unit, source), value in zip(sources, parts):
            income[unit][source] = income[unit].get(source, 0) + value
    for row in income:
        row["current_subtotal"] = sum(v for k, v in row.items())
        row["total"] = row["current_subtotal"]

    nf_basic = sum(l.nf_basic for l in leaves)
    nf_personnel = int(nf_basic * rng.uniform(0.5, 0.9)) if nf_basic else 0

    transfers = []
    for key, unit in department.transfers:
        spec = next(t for t in TRANSFERS if t[0] == key)
        code, name = spec[1], spec[2]
        if year < 2021 and code in PRE_2021:
            code, name = PRE_2021[code]
        value = amounts.scaled("transfer", TRANSFER_BASE[key], factor * rng.uniform(0.6, 1.4))
        if key == "T4":
            value = value // 100 * 100  # printed in the prose as whole 万元 items
        transfers.append({"key": key, "unit": unit, "code": code, "name": name, "nature": spec[3], "type": spec[4],
                          "project_name": spec[5], "project": spec[6], "amount": value})

    office = amounts.take("prose", int(budget_public * rng.uniform(0.3, 0.7)))
    goods = amounts.take("prose", int(budget_public * rng.uniform(0.05, 0.2)))
    services = amounts.take("prose", int(budget_public * rng.uniform(0.2, 0.6)))
    works = amounts.take("prose", int(budget_public * rng.uniform(0.05, 0.2))) if rng.random() < 0.2 else 0
    plan = [rng.randint(2, 9) * 50 for _ in range(4)]
    budget = Budget(department, year, attempt, leaves, economic, income, nf_personnel, three, transfers, office,
                    (goods, works, services), rng.randint(0, 12), rng.randint(0, 3), plan, rng.uniform(0.8, 1.25),
                    prior=None)  # type: ignore[arg-type]
    if prior is None:
        # No earlier document in this corpus: the comparison year is drawn, not generated.
        drift = lambda v: max(100, int(v / rng.uniform(0.85, 1.2)))  # noqa: E731
        prior = Summary(drift(budget.total), drift(budget.gpb), outbound if rng.random() < 0.8 else 0,
                        reception if rng.random() < 0.5 else drift(reception),
                        drift(three["vehicle_subtotal"]), drift(office))
    budget.prior = prior
    return budget


# -- rendering: entries, then pages ---------------------------------------------------------------------

@dataclass
class Entry:
    text: str
    tight: bool = False  # printed right after the previous line, no blank line between
    page_start: bool = False  # forced to open a new page
    page_numbers: bool = True  # a page number may be printed before this line
    tag: str | None = None  # remember the physical line of this entry


class Writer:
    def __init__(self):
        self.entries: list[Entry] = []
        self.page_numbers = True

    def line(self, text: str, tight: bool = False, page_start: bool = False, tag: str | None = None) -> None:
        self.entries.append(Entry(text, tight, page_start, self.page_numbers, tag))

    def lines(self, texts, **kwargs) -> None:
        for text in texts:
            self.line(text, **kwargs)

    def paragraph(self, text: str, width: int = 28) -> None:
        for piece in wrap(text, width):
            self.line(piece)

    def template(self, lines: list[tuple[str, bool]], page_start: bool = False) -> None:
        for k, (text, tight) in enumerate(lines):
            self.line(text, tight=tight and k > 0, page_start=page_start and k == 0)


_ATOM = re.compile(r"\d[\d,]*(?:\.\d+)?(?:万元|万|[％%])?|.", re.S)
_PAGE_NUMBER_LIKE = re.compile(r"^\s*[\d,.]+\s*$")
_NO_LINE_START = set("）)、，,。；;：:”％%")


def wrap(text: str, width: int) -> list[str]:
    """Greedy wrap that never splits an amount from its digits or from a following 万元, and
    never leaves a line of digits alone (it would read as a page number or a figure)."""
    for w in range(width, width + 12):
        lines: list[str] = []
        current = ""
        for atom in _ATOM.findall(text):
            # Closing punctuation never opens a line (it may overhang by one character).
            if current and len(current) + len(atom) > w and atom not in _NO_LINE_START:
                lines.append(current)
                current = ""
            current += atom
        if current:
            lines.append(current)
        if not any(_PAGE_NUMBER_LIKE.match(line) for line in lines):
            return lines
    raise ValueError(f"cannot wrap {text!r}")


def paginate(entries: list[Entry], rng: random.Random) -> tuple[str, dict[str, int]]:
    out: list[str] = []
    tags: dict[str, int] = {}
    page = 1
    on_page = 0
    limit = rng.randint(21, 24)
    for k, entry in enumerate(entries):
        # Tight lines stay with the line before; a one-page table (page numbers off) stays whole.
        new_page = k == 0 or entry.page_start or (on_page >= limit and not entry.tight and entry.page_numbers)
        if new_page and k > 0:
            page += 1
            on_page = 0
            limit = rng.randint(21, 24)
            if entry.page_numbers and entries[k - 1].page_numbers and not entry.page_start and rng.random() < 0.25:
                out += ["", "", "", str(page + 1), "", entry.text]
            else:
                out.append(" " + entry.text)
        elif k == 0:
            out.append(" " + entry.text)
        else:
            if not entry.tight:
                out.append("")
            out.append(entry.text)
        on_page += 1
        if entry.tag:
            tags[entry.tag] = len(out)
    return "\n".join(out) + "\n\n\n", tags


# -- the template ----------------------------------------------------------------------------------------------

class Template:
    """The real 2024 document cut into the parts that are kept as printed (after the
    department, its code and the year are replaced)."""

    def __init__(self, path: Path = TEMPLATE):
        self.lines = path.read_text(encoding="utf-8").split("\n")

    def find(self, pattern: str, start: int = 0) -> int:
        regex = re.compile(pattern)
        for n in range(start, len(self.lines)):
            if regex.search(self.lines[n].strip()):
                return n
        raise ValueError(f"template has no line matching {pattern!r}")

    def block(self, start: int, end: int) -> list[tuple[str, bool]]:
        """Lines [start, end) as (text, tight) without blanks, page numbers or page-start spaces."""
        out = []
        blank_before = True
        for n in range(start, end):
            raw = self.lines[n]
            text = raw.strip()
            if not text:
                blank_before = True
                continue
            if re.fullmatch(r"\d{1,3}", text):
                blank_before = True
                continue
            out.append((text, not blank_before and not raw.startswith(" ")))
            blank_before = False
        return out

    def between(self, start_pattern: str, end_pattern: str, start_at: int = 0) -> list[tuple[str, bool]]:
        start = self.find(start_pattern, start_at)
        return self.block(start, self.find(end_pattern, start + 1))


_TEMPLATE: Template | None = None


def template() -> Template:
    global _TEMPLATE
    if _TEMPLATE is None:
        _TEMPLATE = Template()
    return _TEMPLATE


def substitute(lines: list[tuple[str, bool]], budget: Budget) -> list[tuple[str, bool]]:
    d = budget.department
    shift = budget.year - TEMPLATE_YEAR

    def one(text: str) -> str:
        text = text.replace(f"{TEMPLATE_CODE}-{TEMPLATE_DEPARTMENT}", f"{d.code}-{d.name}")
        text = text.replace(TEMPLATE_DEPARTMENT, d.name)
        return re.sub(r"(?<![\d〔])(20\d\d)(?=年|届)", lambda m: str(int(m.group(1)) + shift), text)

    return [(one(t), tight) for t, tight in lines]


# -- the document -------------------------------------------------------------------------------------------------

def change_words(change: int, pair: tuple[str, str]) -> str:
    return pair[0] if change >= 0 else pair[1]


def subject_rows(budget: Budget) -> list[dict]:
    """附件3/附件5 rows (合计, 类, 款, 项) in print order, with every column in cents."""
    leaves = budget.leaves

    def row(code, name, members):
        fiscal_basic = sum(l.basic for l in members)
        fiscal_project = sum(l.project for l in members)
        nf_basic = sum(l.nf_basic for l in members)
        nf_project = sum(l.nf_project for l in members)
        return {"code": code, "name": name, "personnel": sum(l.personnel for l in members),
                "public": sum(l.public for l in members), "fiscal_basic": fiscal_basic,
                "fiscal_project": fiscal_project, "fiscal": fiscal_basic + fiscal_project, "nf_basic": nf_basic,
                "nf_project": nf_project, "nf": nf_basic + nf_project,
                "total": fiscal_basic + fiscal_project + nf_basic + nf_project}

    rows = [row(None, "合计", leaves)]
    for cls in sorted({l.code[:3] for l in leaves}):
        members = [l for l in leaves if l.code[:3] == cls]
        rows.append(row(cls, CLASS_NAMES[cls], members))
        for section in sorted({l.code[:5] for l in members}):
            in_section = [l for l in members if l.code[:5] == section]
            rows.append(row(section, SECTION_NAMES[section], in_section))
            for leaf in in_section:
                rows.append(row(leaf.code, leaf.name, [leaf]))
    return rows


def figures(values) -> str:
    return " ".join(money(v) for v in values if v)


def projects_of(budget: Budget) -> list[dict]:
    """附件11 projects present, in the template's order, with total and fiscal cents."""
    out = []
    for index, (key, name, category) in enumerate(PROJECTS):
        if category == "transfer":
            rows = [t for t in budget.transfers if t["project"] == key]
            if rows:
                total = sum(t["amount"] for t in rows)
                out.append({"index": index, "key": key, "name": name, "category": category, "total": total,
                            "fiscal": total, "gpb": rows[0]["nature"] == "一般公共预算资金", "transfers": rows})
            continue
        leaves = [l for l in budget.leaves if l.spec.project_key == key and l.project]
        if leaves:
            fiscal = sum(l.project for l in leaves)
            out.append({"index": index, "key": key, "name": name, "category": category,
                        "total": fiscal + sum(l.nf_project for l in leaves), "fiscal": fiscal, "gpb": True,
                        "items": [i for l in leaves for i in l.items]})
    return out


def render(budget: Budget, page_numbers_anywhere: bool = False) -> tuple[str, dict]:
    """The document's text and what it should parse to (figures in cents, with their tags)."""
    d = budget.department
    y, p = budget.year, budget.year - 1
    t = template()
    w = Writer()
    truth: dict = {"department_code": d.code, "department_name": d.name, "year": y}

    # 第一部分
    w.template(substitute(t.block(0, t.find(r"^二、部门预算单位基本情况")), budget))
    w.line("二、部门预算单位基本情况")
    w.page_numbers = False  # the unit list reads every line up to 三、
    w.line(f"纳入{d.name}部门{y}年部门预算编")
    w.line("制范围的单位包括:")
    w.line("单位名称 经费性质")
    for unit in d.units:
        if unit.alias:
            w.line(unit.name)
            w.line(f"（{unit.alias}）")
            w.line(unit.funding, tight=True)
        else:
            w.line(f"{unit.name} {unit.funding}")
    w.page_numbers = True
    w.template(substitute(t.between(r"^三、部门主要工作任务", r"^第二部分"), budget))

    # 第二部分
    total, gpb, prior = budget.total, budget.gpb, budget.prior
    change = total - prior.total
    w.line(f"第二部分 {y}年部门预算说明")
    w.line(f"一、{y}年部门预算收支总体情况")
    w.paragraph("根据预算管理的有关规定，部门的全部收入和支出均纳入部门预算管理。")
    w.line(f"（一）{d.name}{y}年收入预算为")
    w.paragraph(f"{money(total)}万元，比{p}年预算数{change_words(change, ('增加', '减少'))}{money(abs(change))}万元，"
                f"{change_words(change, ('增长', '下降'))}{percent(change, prior.total)}％，具体情况如下：")
    inc = budget.income
    w.paragraph(f"1.财政拨款收入{money(gpb)}万元，其中一般公共预算拨款收入{money(gpb)}万元，政府性基金拨款收入0.00万元，"
                f"国有资本经营预算拨款收入0.00万元；")
    w.paragraph("2.财政专户管理资金收入0.00万元；")
    w.paragraph(f"3.事业收入{money(inc('business_income'))}万元；")
    w.paragraph(f"4.事业单位经营收入{money(inc('operating_income'))}万元；")
    w.paragraph(f"5.上级补助收入{money(inc('superior_subsidy'))}万元；")
    w.paragraph("6.附属单位上缴收入0.00万元；")
    w.paragraph(f"7.其他收入{money(inc('other_income'))}万元；")
    w.paragraph("8.上年结转结余0.00万元。")
    w.line(f"（二）{d.name}{y}年支出预算为")
    w.paragraph(f"{money(total)}万元（不含市对区转移支付项目），比{p}年预算数{change_words(change, ('增加', '减少'))}"
                f"{money(abs(change))}万元，{change_words(change, ('增长', '下降'))}{percent(change, prior.total)}％，"
                "具体情况如下：")
    w.paragraph(f"1.基本支出{money(budget.personnel + budget.public)}万元，其中，人员支出{money(budget.personnel)}万元，"
                f"公用支出{money(budget.public)}万元；")
    w.paragraph(f"2.项目支出{money(budget.project)}万元；")
    w.paragraph(f"3.非财政拨款支出{money(budget.non_fiscal)}万元。")
    w.paragraph(f"（三）{d.name}{y}年市对区转移支付项目预算为{money(budget.transfer_total)}万元。")
    w.line("二、一般公共预算财政拨款支出预算情况")
    gchange = gpb - prior.gpb
    w.paragraph(f"{y}年度一般公共预算支出{money(gpb)}万元（不含市对区转移支付项目），比{p}年预算数"
                f"{change_words(gchange, ('增加', '减少'))}{money(abs(gchange))}万元，"
                f"{change_words(gchange, ('增长', '下降'))}{percent(gchange, prior.gpb)}%，主要是由于发展经费支出预算"
                f"{change_words(gchange, ('增长', '减少'))}。支出项目(按项级科目分类统计)包括：")
    rows = subject_rows(budget)
    sections = {r["code"]: r["name"] for r in rows if r["code"] and len(r["code"]) == 5}
    line_items = []
    number = 0
    for leaf in budget.leaves:
        if not leaf.fiscal:
            continue
        number += 1
        text = (f"{number}.{CLASS_NAMES[leaf.code[:3]]}（类）{sections[leaf.code[:5]]}（款）{leaf.name}（项）"
                f"{money(leaf.fiscal)}万元。{leaf.spec.purpose}")
        pieces = wrap(text, 28)
        for k, piece in enumerate(pieces):
            w.line(piece, tag=f"item:{leaf.code}" if money(leaf.fiscal) in piece else None)
        line_items.append({"number": number, "code": leaf.code, "amount": leaf.fiscal})
    truth["line_items"] = line_items
    w.line("三、政府性基金预算财政拨款支出情况")
    w.paragraph(f"{y}年度政府性基金支出0.00万元，与上年相同。")
    _three_public(w, budget)
    projects = projects_of(budget)
    _project_paragraphs(w, budget, projects)
    w.line("六、其他重要事项的情况说明")
    w.line("（一）机关运行经费")
    ochange = budget.office - prior.office
    w.paragraph(f"{y}年{d.name}的机关运行经费财政拨款预算{money(budget.office)}万元，比{p}年预算"
                f"{change_words(ochange, ('增加', '减少'))}{money(abs(ochange))}万元，"
                f"{change_words(ochange, ('增长', '下降'))}{percent(ochange, prior.office)}%。")
    w.line("（二）政府采购情况")
    goods, works, services = budget.procurement
    w.paragraph(f"{y}年政府采购预算总额{money(goods + works + services)}万元，其中：政府采购货物预算{money(goods)}万元，"
                f"政府采购工程预算{money(works)}万元，政府采购服务预算{money(services)}万元。")
    w.line("（三）国有资产占有使用情况")
    w.paragraph(f"截至{p}年12月31日，{d.name}所属各预算单位共有车辆{budget.vehicles}辆，单位价值100万以上专用设备"
                f"{budget.equipment}台（套）。")
    w.line("（四）绩效目标设置情况")
    w.paragraph(f"{d.name}{y}年实行绩效目标管理的一级项目{len(projects)}个，涉及一般公共预算拨款"
                f"{money(sum(pr['fiscal'] for pr in projects if pr['gpb']))}万元、政府性基金预算拨款0.00万元。")

    # 第三部分, 第四部分
    part3 = t.find(r"^\s*第三部分")
    part4 = t.find(r"^\s*第四部分")
    appendix1 = t.find(r"^\s*附件1\s*$")
    w.template(substitute(t.block(part3, part4), budget), page_start=True)
    w.template(substitute(t.block(part4, appendix1), budget), page_start=True)

    _appendix_1(w, budget, rows)
    truth["unit_income"] = _appendix_2(w, budget)
    truth["subject_expenditure"] = _appendix_3(w, budget, rows)
    _appendix_4(w, budget, rows)
    truth["budget_expenditure"] = _appendix_5(w, budget, rows)
    _appendix_6(w, budget)
    _appendix_7_8_9(w, budget)
    _appendix_10(w, budget, projects)
    _appendix_11(w, budget, projects)

    if page_numbers_anywhere:
        # Stress layout: page breaks and page numbers also inside the unit list and the
        # one-page tables (附件1, 4, 7, 8), where the real document happens to have none.
        for entry in w.entries:
            entry.page_numbers = True
    text, tags = paginate(w.entries, random.Random(f"pages:{d.code}:{y}:{budget.attempt}"))
    for table in ("unit_income", "subject_expenditure", "budget_expenditure"):
        for key, row in truth[table].items():
            row["line"] = tags[f"{table}:{key}"]
    for item in truth["line_items"]:
        item["line"] = tags[f"item:{item['code']}"]
    truth["figures"] = {"total": total, "general_public_budget": gpb, "transfers": budget.transfer_total,
                        "three_public_total": budget.three_public["total"]}
    return text, truth


def _three_public(w: Writer, budget: Budget) -> None:
    y = budget.year
    tp, prior = budget.three_public, budget.prior

    def compared(now: int, before: int, reason_up: str, reason_down: str) -> str:
        if now == before or not before:
            return "与上年预算一致。主要原因是:按照财政部门核定限额编制预算"
        c = now - before
        return (f"与上年预算相比{change_words(c, ('增长', '下降'))}{percent(c, before)}%，主要原因是:"
                f"{reason_up if c > 0 else reason_down}")

    w.line("四、“三公”经费财政拨款预算情况")
    w.paragraph(f"{y}年“三公”经费财政拨款预算数为{money(tp['total'])}万元，其中：因公出国（境）经费"
                f"{money(tp['outbound_travel'])}万元，公务接待费{money(tp['official_reception'])}万元，公务用车购置及运行费"
                f"{money(tp['vehicle_subtotal'])}万元。具体情况如下：")
    w.line("（一）因公出国（境）经费")
    same = tp["outbound_travel"] == prior.outbound
    w.paragraph(f"{y}年预算安排{money(tp['outbound_travel'])}万元。" +
                ("与上年预算一致，主要原因是:未制定组团出国（境）计划。" if same
                 else "主要原因是:根据年度外事工作计划安排。"))
    w.line("（二）公务接待费")
    w.paragraph(f"{y}年预算安排{money(tp['official_reception'])}万元。主要用于业务交流和检查指导等方面的接待活动。"
                + compared(tp["official_reception"], prior.reception, "业务交流活动增加", "落实过紧日子要求")
                + "。")
    w.line("（三）公务用车购置及运行费")
    w.paragraph(f"{y}年预算安排{money(tp['vehicle_subtotal'])}万元，其中：公务用车运行费{money(tp['vehicle_operation'])}"
                f"万元，主要用于公务用车燃油、维修、保险等方面支出；公务用车购置费{money(tp['vehicle_purchase'])}万元。"
                + compared(tp["vehicle_subtotal"], prior.vehicle, "按规定更新超龄公务用车",
                           "使用新能源汽车，并落实过紧日子要求，进一步压减公务用车费用支出") + "。")


def _project_paragraphs(w: Writer, budget: Budget, projects: list[dict]) -> None:
    """第二部分 五: the template's paragraphs on three projects, for those this department has,
    with their 6.年度预算安排 re-rendered from the project's items."""
    t = template()
    start = t.find(r"^五、部分项目情况说明")
    end = t.find(r"^六、其他重要事项的情况说明")
    heads = [t.find(r"^（一）技工院校中等职业教育项目情况", start), t.find(r"^（二）就业专项资金项目情况", start),
             t.find(r"^（三）人才扶持（对区转移支付）项目情况", start), end]
    keys = ("vocational", "employment", "t_talent")
    by_key = {pr["key"]: pr for pr in projects}
    w.line("五、部分项目情况说明")
    number = 0
    for k, key in enumerate(keys):
        project = by_key.get(key)
        if project is None:
            continue
        number += 1
        lines = substitute(t.block(heads[k], heads[k + 1]), budget)
        first, *rest = lines
        w.line(re.sub(r"^（[一二三]）", f"（{NUMERALS[number - 1]}）", first[0]))
        six = next(i for i, (text, _) in enumerate(rest) if text.startswith("6.年度预算安排"))
        seven = next(i for i, (text, _) in enumerate(rest) if text.startswith("7.绩效目标和指标"))
        w.template(rest[:six + 1])
        if key == "t_talent":
            amount = project["total"]
            first_part = amount * 7 // 100 // 100 * 100 or 100
            items = [("火炬高新区追加上年度经费", first_part),
                     (f"{budget.year}年各区拟下发新引进人才（含台湾同胞）来厦就业创业生活补贴", amount - first_part)]
            w.paragraph(f"{budget.year}年拟安排该项目预算{money_short(amount)}万元，同时拟动用单位自有资金0万元。其中：")
        else:
            items = project["items"]
            w.paragraph(f"{budget.year}年拟安排该项目一般公共预算{money_short(project['fiscal'])}万元，同时拟动用单位自有"
                        f"资金{money_short(project['total'] - project['fiscal'])}万元。其中：")
        for i, (name, value) in enumerate(items, 1):
            w.paragraph(f"（{i}）{name}{money_short(value)}万元{'；' if i < len(items) else '。'}")
        w.template(rest[seven:])


def _appendix_1(w: Writer, budget: Budget, rows: list[dict]) -> None:
    classes = {r["code"]: r["total"] for r in rows if r["code"] and len(r["code"]) == 3}
    inc = budget.income
    income = (("一般公共预算拨款收入", budget.gpb), ("政府性基金预算拨款收入", 0), ("国有资本经营预算拨款收入", 0),
              ("财政专户管理资金收入", 0), ("事业收入", inc("business_income")),
              ("事业单位经营收入", inc("operating_income")), ("上级补助收入", inc("superior_subsidy")),
              ("附属单位上缴收入", 0), ("其他收入", inc("other_income")))
    w.page_numbers = False
    w.line("附件1", page_start=True)
    w.line("部门收支预算总体情况表")
    w.line("单位：万元", tight=True)
    w.line("收 入 支 出")
    w.line("项 目 预算数 项 目 预算数")
    for k, (name, code) in enumerate(OVERVIEW_CLASSES):
        parts = []
        if k < len(income):
            label, value = income[k]
            parts.append(f"{NUMERALS[k]}、{label}" + (f" {money(value)}" if value else ""))
        value = classes.get(code, 0)
        parts.append(f"{NUMERALS[k]}、{name}" + (f" {money(value)}" if value else ""))
        w.line(" ".join(parts))
    w.line(f"本年收入合计 {money(budget.total)} 本年支出合计 {money(budget.total)}")
    w.line("上年结转结余 年终结转结余")
    w.line(f"收入总计 {money(budget.total)} 支出总计 {money(budget.total)}")
    w.page_numbers = True


def _wrapped_row(w: Writer, code: str, name: str, values: str, width: int, tag: str) -> None:
    """code alone, the name in pieces of `width`, the figures on the line after."""
    pieces = [name[i:i + width] for i in range(0, len(name), width)]
    w.line(code)
    if len(pieces) <= 2:
        w.line(pieces[0], tight=True)
        for piece in pieces[1:]:
            w.line(piece)
        w.line(values, tight=True, tag=tag)
    else:
        for piece in pieces:
            w.line(piece)
        w.line(values, tag=tag)


def _appendix_2(w: Writer, budget: Budget) -> dict:
    t = template()
    w.template(t.block(t.find(r"^\s*附件2\s*$"), t.find(r"^合计: ", t.find(r"^\s*附件2\s*$"))), page_start=True)
    d = budget.department
    truth = {}
    total_row = {c: sum(u.get(c, 0) for u in budget.unit_income) for c in UNIT_INCOME_COLUMNS}
    values = lambda row: figures(row.get(c, 0) for c in UNIT_INCOME_COLUMNS)  # noqa: E731
    w.line(f"合计: {values(total_row)}", tag="unit_income:合计")
    truth["合计"] = dict(total_row)
    _wrapped_row(w, d.code, d.name, values(total_row), 8, f"unit_income:{d.code}")
    truth[d.code] = dict(total_row)
    for unit, row in zip(d.units, budget.unit_income):
        name = unit.name + (f"（{unit.alias}）" if unit.alias else "")
        _wrapped_row(w, unit.code, name, values(row), 8, f"unit_income:{unit.code}")
        truth[unit.code] = dict(row)
    return truth


def _appendix_3(w: Writer, budget: Budget, rows: list[dict]) -> dict:
    t = template()
    start = t.find(r"^\s*附件3\s*$")
    w.template(t.block(start, t.find(r"^合计: ", start)), page_start=True)
    truth = {}
    for row in rows:
        values = figures((row["total"], row["fiscal"], row["fiscal_basic"], row["fiscal_project"], row["nf"],
                          row["nf_basic"], row["nf_project"]))
        key = row["code"] or "合计"
        tag = f"subject_expenditure:{key}"
        if row["code"] is None:
            w.line(f"合计: {values}", tag=tag)
        elif len(row["name"]) > 16:
            _wrapped_row(w, row["code"], row["name"], values, 16, tag)
        else:
            w.line(f"{row['code']} {row['name']} {values}", tag=tag)
        truth[key] = dict(row)
    return truth


def _appendix_4(w: Writer, budget: Budget, rows: list[dict]) -> None:
    fiscal = {r["code"]: r["fiscal"] for r in rows if r["code"] and len(r["code"]) == 3}
    w.page_numbers = False
    w.line("附件4", page_start=True)
    w.line("财政拨款收支预算总体情况表")
    w.line("单位：万元", tight=True)
    w.line("收 入 支 出")
    w.line("项目 预算数 项目 预算数")
    w.line("一、本年收入 一、本年支出")
    left = [f"（一）一般公共预算拨款 {money(budget.gpb)}", "（二）政府性基金预算拨款", "（三）国有资本经营预算拨款",
            "二、上年结转", "（一）一般公共预算拨款", "（二）政府性基金预算拨款", "（三）国有资本经营预算拨款"]
    for k, (name, code) in enumerate(OVERVIEW_CLASSES):
        right = f"({NUMERALS[k]}){name}" + (f" {money(fiscal[code])}" if fiscal.get(code) else "")
        w.line(f"{left[k]} {right}" if k < len(left) else right)
    w.line("二、年终结转结余")
    w.line(f"收入总计 {money(budget.gpb)} 支出总计 {money(budget.gpb)}")
    w.page_numbers = True


def _appendix_5(w: Writer, budget: Budget, rows: list[dict]) -> dict:
    t = template()
    start = t.find(r"^\s*附件5\s*$")
    w.template(t.block(start, t.find(r"^合计：", start)), page_start=True)
    truth = {}
    for row in rows:
        if not row["fiscal"]:
            continue
        values = figures((row["fiscal"], row["fiscal_basic"], row["personnel"], row["public"], row["fiscal_project"]))
        key = row["code"] or "合计"
        w.line(f"合计： {values}" if row["code"] is None else f"{row['code']} {row['name']} {values}",
               tag=f"budget_expenditure:{key}")
        truth[key] = dict(row)
    return truth


def _appendix_6(w: Writer, budget: Budget) -> None:
    t = template()
    start = t.find(r"^\s*附件6\s*$")
    w.template(t.block(start, t.find(r"^合计：", start)), page_start=True)
    personnel = {"301", "303"}
    totals = {cls: sum(v for c, v in budget.economic.items() if c[:3] == cls) for cls in ECONOMIC_CLASSES}
    p = sum(v for cls, v in totals.items() if cls in personnel)
    q = sum(v for cls, v in totals.items() if cls not in personnel)
    w.line(f"合计： {figures((p + q, p, q))}")
    names = {c: n for items in ECONOMIC_ITEMS.values() for c, n in items}
    for cls, name in ECONOMIC_CLASSES.items():
        if not totals[cls]:
            continue
        w.line(f"{cls} {name} {money(totals[cls])} {money(totals[cls])}")
        for code, _ in ECONOMIC_ITEMS[cls]:
            if budget.economic.get(code):
                value = budget.economic[code]
                w.line(f"{code} {names[code]} {money(value)} {money(value)}")


def _appendix_7_8_9(w: Writer, budget: Budget) -> None:
    t = template()
    d = budget.department
    start = t.find(r"^\s*附件7\s*$")
    header = t.block(start, t.find(r"^27\.96", start))
    w.page_numbers = False
    w.template(header, page_start=True)
    tp = budget.three_public
    w.line(figures(tp[c] for c in ("total", "outbound_travel", "vehicle_subtotal", "vehicle_purchase",
                                    "vehicle_operation", "official_reception")))
    start = t.find(r"^\s*附件8\s*$")
    w.template(substitute(t.block(start, t.find(r"^\s*附件9\s*$")), budget), page_start=True)
    w.page_numbers = True
    start = t.find(r"^\s*附件9\s*$")
    w.template(t.block(start, t.find(r"^合计：", start)), page_start=True)
    w.line(f"合计： {money(budget.transfer_total)}")
    for row in sorted(budget.transfers, key=lambda r: (d.units[r["unit"]].code, r["key"])):
        unit = d.units[row["unit"]]
        cells = [unit.code, unit.name, row["code"], row["name"], row["nature"], row["type"], row["project_name"],
                 money(row["amount"])]
        w.line(" ".join(c for c in cells if c))


def _indicator_lines(w: Writer, name: str, direction: str, value: int, unit: str, width: int = 16) -> None:
    if len(name) <= width:
        w.line(f"{name} {direction} {value} {unit}")
        return
    pieces = [name[i:i + width] for i in range(0, len(name), width)]
    w.line(pieces[0])
    for piece in pieces[1:]:
        w.line(piece)
    w.line(f"{direction} {value} {unit}", tight=True)


def _appendix_10(w: Writer, budget: Budget, projects: list[dict]) -> None:
    t = template()
    d = budget.department
    start = t.find(r"^\s*附件10\s*$")
    w.template(substitute(t.block(start, t.find(r"^人员支出", start)), budget), page_start=True)
    special = [pr for pr in projects if pr["category"] == "部门专项"]
    develop = [pr for pr in projects if pr["category"] == "发展经费"]
    pair = lambda prs: (sum(pr["total"] for pr in prs), sum(pr["fiscal"] for pr in prs))  # noqa: E731
    nf_basic = sum(l.nf_basic for l in budget.leaves)
    personnel = (budget.personnel + budget.nf_personnel, budget.personnel)
    public = (budget.public + nf_basic - budget.nf_personnel, budget.public)
    cell = lambda label, amounts: label + ("" if not amounts[0] else f" {money(amounts[0])} {money(amounts[1])}")  # noqa: E731
    w.line(f"{cell('人员支出', personnel)} {cell('发展经费', pair(develop))}")
    w.line(f"{cell('公用支出', public)} 基建项目")
    w.line(f"{cell('部门专项', pair(special))} {cell('合计', (budget.total, budget.gpb))}")
    goal = t.find(r"^年度目标", start)
    w.template(t.block(goal, t.find(r"^年度工作任务", goal) + 1))
    factor = budget.indicator_factor
    tasks = []
    for key, name, indicators in TASKS:
        items = [i for l in budget.leaves if l.spec.task == key for i in l.items]
        if items:
            tasks.append((name, indicators, items))
    for k, (name, indicators, items) in enumerate(tasks):
        w.line(name)
        scaled = [(n, dr, v if u == "%" else max(1, int(v * factor)), u) for n, dr, v, u in indicators]
        _indicator_lines(w, *scaled[0])
        for i, (item, value) in enumerate(items):
            for piece in wrap(("" if i == 0 else ",") + f"{item}{money(value)}万元", 13):
                w.line(piece)
        w.line(money(sum(v for _, v in items)))
        for indicator in scaled[1:]:
            _indicator_lines(w, *indicator)
        if len(scaled) < 2 and k < len(tasks) - 1:
            raise ValueError(f"task {name} needs a second indicator to stand before the next task")


def _appendix_11(w: Writer, budget: Budget, projects: list[dict]) -> None:
    t = template()
    starts = [n for n, line in enumerate(t.lines) if re.fullmatch(r"\s*附件11\s*", line)]
    ends = starts[1:] + [len(t.lines)]
    d = budget.department
    for number, project in enumerate(projects):
        lines = substitute(t.block(starts[project["index"]], ends[project["index"]]), budget)
        out = []
        for text, tight in lines:
            if text.startswith("预算资金 "):
                text = f"预算资金 {money(project['total'])} 万元 其中：财政拨款数 {money(project['fiscal'])} 万元"
            elif text.startswith("考务费："):
                q = budget.plan
                text = f"考务费：第一季度计划投入{q[0]}万元，第二季度{q[1]}万元，第三季度{q[2]}万元，第四季度{q[3]}万元；"
            out.append((text, tight))
        # As in the template, some 附件11 tables open a page and some follow on the same page.
        w.template(out, page_start=number == 0 or (number * 7 + d.index) % 3 == 0)


# -- generating, verifying, corpora ----------------------------------------------------------------------

def file_name(department: Department, year: int) -> str:
    return f"xiamen-d{department.code}-{year}-budget.txt"


def verify(path: Path) -> tuple[str | None, int]:
    """(None, figures) when the ingest parses the document with full fidelity, else (why, 0)."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from ingest.core.document import read_document
    from ingest.core.errors import AmbiguousPlacement, IngestError
    from ingest.core.fidelity import fidelity_report
    from ingest.xiamen.parse import parse_document

    try:
        source = read_document(path)
        parsed = parse_document(source)
    except AmbiguousPlacement as error:
        return f"AmbiguousPlacement: {error}", 0
    except IngestError as error:
        return f"IngestError: {error}", 0
    report = fidelity_report(source, parsed.records)
    if report.missed or report.invented:
        return (f"fidelity: {report.summary()}; missed {report.missed[:3]}; invented {report.invented[:3]}", 0)
    warnings = [f for f in parsed.findings if f.severity != "info"]
    if warnings:
        return f"findings: {warnings[0].finding_kind} line {warnings[0].source_line}: {warnings[0].message}", 0
    return None, report.figures


class GenerationError(RuntimeError):
    """A generated document the ingest does not read with full fidelity: a parser limit."""


def generate_department(seed: int, department: Department, years: list[int], out: Path, check: bool,
                        page_numbers_anywhere: bool = False) -> list[dict]:
    """Every year of one department, in order (each year compares with the one before). Every
    document is kept as generated; with `check` each is parsed and what the ingest said of one
    it does not read with full fidelity (or without a non-info finding) is its `failure`."""
    documents = []
    prior = make_budget(department, years[0] - 1, seed, 0, None).summary()
    for year in years:
        budget = make_budget(department, year, seed, 0, prior)
        text, truth = render(budget, page_numbers_anywhere)
        path = out / file_name(department, year)
        path.write_bytes(text.encode("utf-8"))
        why, figures_count = verify(path) if check else (None, None)
        prior = budget.summary()
        documents.append({"file": path.name, "department_code": department.code, "department": department.name,
                          "year": year, "figures": figures_count, "failure": why,
                          "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest()})
    return documents


def departments(seed: int, count: int) -> list[Department]:
    return [make_department(seed, i, code, name, domain)
            for i, (code, (name, domain)) in enumerate(zip(department_codes(count), department_names(seed, count)))]


def _work(args) -> list[dict]:
    seed, department, years, out, check, anywhere = args
    return generate_department(seed, department, years, out, check, page_numbers_anywhere=anywhere)


def generate_corpus(out: Path, count: int, years: list[int], seed: int, check: bool = True, limit: int | None = None,
                    processes: int = 1, log=None, page_numbers_anywhere: bool = False) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    jobs = []
    remaining = limit if limit is not None else count * len(years)
    for department in departments(seed, count):
        take = years[:max(0, remaining)]
        remaining -= len(take)
        if take:
            jobs.append((seed, department, take, out, check, page_numbers_anywhere))
    if processes > 1 and len(jobs) > 1:
        import multiprocessing
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            results = pool.map(_work, jobs, chunksize=1)
    else:
        results = [_work(job) for job in jobs]
    documents = [doc for batch in results for doc in batch]
    failures = [f"{doc['file']}: {doc['failure']}" for doc in documents if doc["failure"]]
    # Nothing is regenerated any more: "regenerated" stays in the manifest, always 0, for its readers.
    manifest = {"generator_version": GENERATOR_VERSION, "seed": seed, "departments": count, "years": years,
                "limit": limit, "verified": check, "documents": documents, "regenerated": 0,
                "failures": failures}
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    if log:
        log(f"{len(documents)} documents in {out}" + (", every one parsed with full fidelity" if check else ""))
    if failures:
        raise GenerationError(f"{len(failures)} of {len(documents)} generated documents are not read with full "
                              f"fidelity (a parser limit; the documents are kept in {out}): "
                              + " | ".join(failures[:10]))
    return manifest


def corpus_shape(size: int) -> tuple[int, list[int]]:
    """Departments and years of a benchmark corpus of `size` documents: whole 2015–2025 series."""
    years = list(range(2015, 2026))
    if size < len(years):
        years = years[-size:]
    return math.ceil(size / len(years)), years


def ensure_corpus(out: Path, count: int, years: list[int], seed: int, limit: int | None = None, log=None) -> dict:
    """The corpus under `out`, generated (verified, on every core) unless a matching one is there."""
    manifest_path = out / "manifest.json"
    if manifest_path.exists():
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
            if (manifest.get("generator_version") == GENERATOR_VERSION and manifest.get("seed") == seed
                    and manifest.get("departments") == count and manifest.get("years") == years
                    and manifest.get("limit") == limit and manifest.get("verified")
                    and all((out / d["file"]).exists() for d in manifest["documents"])):
                if log:
                    log(f"reusing {out} ({len(manifest['documents'])} documents)")
                return {**manifest, "reused": True}
        except (ValueError, KeyError):
            pass
    for stale in out.glob("*.txt"):
        stale.unlink()
    return generate_corpus(out, count, years, seed, check=True, limit=limit, processes=os.cpu_count() or 1, log=log)


def parse_years(text: str) -> list[int]:
    if "-" in text:
        first, last = (int(x) for x in text.split("-"))
        return list(range(first, last + 1))
    return [int(x) for x in text.split(",")]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench/generate.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--departments", type=int, required=True, help="number of departments")
    parser.add_argument("--years", default="2024", help="years, e.g. 2015-2025 or 2019,2024 (default 2024)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "corpus")
    parser.add_argument("--no-verify", action="store_true",
                        help="do not parse each document (faster; a parser limit then goes unnoticed)")
    parser.add_argument("--processes", type=int, default=1, help="worker processes (default 1)")
    parser.add_argument("--page-numbers-anywhere", action="store_true",
                        help="stress layout: page numbers also inside the unit list and 附件1/4/7/8 (the ingest "
                             "does not read those yet; use with --no-verify)")
    args = parser.parse_args(argv)
    try:
        generate_corpus(args.out, args.departments, parse_years(args.years), args.seed, check=not args.no_verify,
                        processes=args.processes, log=print, page_numbers_anywhere=args.page_numbers_anywhere)
    except GenerationError as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
