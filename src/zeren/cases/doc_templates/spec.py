"""What each standard form shows: its title, its labelled fields and its text sections.

Both the .docx templates (built by ``build_templates.py``) and the HTML used for PDF are
generated from this one description, so the two formats always carry the same content.
Keys name entries of the document's data (see ``services.common_fields``) or of what
``documents.document_context`` adds when the document is rendered: the party's full ID number,
amounts in capitals (``amount_capitals``), the operative sentence of a decision
(``operative``) and the remedies naming the review body and the court (``remedies``).

Every form names the party with the full ID number or credit code and address: the forms are
served on the party, signed by it, or sent to the court, and the internal ones (审批表, 结案报告,
卷内文件目录) belong to the same case file.
"""

from __future__ import annotations

PARTY = [
    ("当事人", "party_name"),
    ("身份证号/统一社会信用代码", "party_id"),
    ("住址", "party_address"),
]
CASE = [("案号", "case_number"), ("案件类别", "kind")]
AMOUNT_CAPITALS = ("金额大写", "amount_capitals")
DECISION_SECTIONS = [
    ("违法事实和证据", "facts"),
    ("陈述申辩", "statement"),
    ("违反和适用的规定", "legal_basis"),
    ("处理决定", "operative"),
    ("履行方式和期限", "payment"),
    ("救济途径和期限", "remedies"),
]

FORMS: dict[str, dict] = {
    "filing": {
        "title": "立案审批表",
        "fields": [
            *CASE,
            *PARTY,
            ("违法行为", "violation"),
            ("违法行为发生日", "act_date"),
            ("承办人", "handler"),
            ("执法人员", "officers"),
            ("批准人", "approved_by"),
        ],
        "sections": [("案情摘要", "facts"), ("时效审查", "limitation")],
    },
    "interview": {
        "title": "询问笔录",
        "fields": [
            *CASE,
            *PARTY,
            ("被询问人", "subject"),
            ("询问人", "officers"),
        ],
        "sections": [("询问内容", "content"), ("签名", "signatories")],
    },
    "inquiry": {
        "title": "调查笔录",
        "fields": [
            *CASE,
            *PARTY,
            ("被调查人", "subject"),
            ("调查人", "officers"),
        ],
        "sections": [("调查内容", "content"), ("签名", "signatories")],
    },
    "notice": {
        "title": "告知书",
        "fields": [
            *CASE,
            *PARTY,
            ("违法行为", "violation"),
            ("拟处理金额（元）", "amount"),
            AMOUNT_CAPITALS,
            ("裁量等级", "grade"),
        ],
        "sections": [
            ("违法事实", "facts"),
            ("理由", "reasons"),
            ("依据", "legal_basis"),
            ("裁量说明", "reasoning"),
            ("当事人权利", "rights"),
        ],
    },
    "approval": {
        "title": "审批表",
        "fields": [
            *CASE,
            *PARTY,
            ("违法行为", "violation"),
            ("金额（元）", "amount"),
            AMOUNT_CAPITALS,
            ("审批人", "approved_by"),
        ],
        "sections": [
            ("违法事实", "facts"),
            ("陈述申辩", "statement"),
            ("裁量说明", "reasoning"),
            ("集体讨论", "collective"),
            ("法制审核", "legal_review"),
        ],
    },
    "hearing_notice": {
        "title": "听证通知书",
        "fields": [
            *CASE,
            *PARTY,
            ("拟处理金额（元）", "amount"),
            AMOUNT_CAPITALS,
            ("听证时间", "hearing_date"),
            ("听证地点", "hearing_place"),
            ("主持人", "chair"),
        ],
        "sections": [("费用", "free")],
    },
    "hearing_record": {
        "title": "听证笔录",
        "fields": [
            *CASE,
            *PARTY,
            ("拟处理金额（元）", "amount"),
            AMOUNT_CAPITALS,
            ("主持人", "chair"),
        ],
        "sections": [("听证情况", "content"), ("签名", "signatories")],
    },
    "decision_fee": {
        "title": "征收社会抚养费决定书",
        "fields": [
            ("文号", "decision_number"),
            *PARTY,
            ("征收金额（元）", "amount"),
            AMOUNT_CAPITALS,
        ],
        "sections": DECISION_SECTIONS,
    },
    "decision_penalty": {
        "title": "行政处罚决定书",
        "fields": [
            ("文号", "decision_number"),
            *PARTY,
            ("罚款金额（元）", "amount"),
            AMOUNT_CAPITALS,
        ],
        "sections": DECISION_SECTIONS,
    },
    "decision_on_spot": {
        "title": "当场处罚决定书",
        "fields": [
            ("文号", "decision_number"),
            *PARTY,
            ("违法行为", "violation"),
            ("处罚种类", "penalty_kind"),
            ("罚款金额（元）", "amount"),
            AMOUNT_CAPITALS,
            ("时间", "decided_date"),
            ("地点", "place"),
            ("执法人员及执法证号", "officer_certificates"),
        ],
        "sections": [
            ("违法事实和证据", "facts"),
            ("理由", "reasons"),
            ("违反和适用的规定", "legal_basis"),
            ("简易程序依据", "summary_basis"),
            ("陈述申辩", "statement"),
            ("处理决定", "operative"),
            ("履行方式和期限", "payment"),
            ("救济途径和期限", "remedies"),
            ("当事人签收", "receipt"),
        ],
    },
    "service": {
        "title": "送达回证",
        "fields": [
            *CASE,
            ("送达文书", "document"),
            ("受送达人", "party_name"),
            ("身份证号/统一社会信用代码", "party_id"),
            ("送达地址", "party_address"),
            ("收件人", "recipient"),
            ("收件人身份", "recipient_role"),
            ("送达方式", "method"),
            ("送达日期", "served_date"),
            ("收件人签名", "signature"),
        ],
        "sections": [],
    },
    "reminder": {
        "title": "催告书",
        "fields": [
            *CASE,
            *PARTY,
            ("决定书文号", "decision_number"),
            ("应缴金额（元）", "amount"),
            AMOUNT_CAPITALS,
            ("缴纳期限", "due"),
            ("截至催告日滞纳金/加处罚款（元）", "late_fee"),
        ],
        "sections": [("计算", "late_fee_arithmetic")],
    },
    "court": {
        "title": "强制执行申请书",
        "fields": [
            *CASE,
            ("被执行人", "party_name"),
            ("身份证号/统一社会信用代码", "party_id"),
            ("住址", "party_address"),
            ("决定书文号", "decision_number"),
            ("应缴金额（元）", "amount"),
            AMOUNT_CAPITALS,
            ("滞纳金/加处罚款（元）", "late_fee"),
        ],
        "sections": [("事实", "facts"), ("申请期限", "window")],
    },
    "closure": {
        "title": "结案报告",
        "fields": [
            *CASE,
            *PARTY,
            ("决定金额（元）", "amount"),
            AMOUNT_CAPITALS,
            ("已缴金额（元）", "paid"),
        ],
        "sections": [("结案情况", "summary")],
    },
    "catalogue": {
        "title": "卷内文件目录",
        "fields": [*CASE, *PARTY],
        "sections": [],
        "table": "entries",
    },
}
