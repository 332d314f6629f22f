"""Small, hand-written name lists for the demo generator: Chinese surnames and given names,
companies, departments and the texts a front desk writes. No faker: a few hundred words give
a directory that looks real, and the generator stays free of a dependency."""

from __future__ import annotations

import random

# The 60 commonest surnames, roughly by frequency (more common ones appear more often).
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石"
)
GIVEN_CHARS = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国文辉鹏飞宇浩然欣怡子涵佳琪思雨晨博俊嘉"
MALE_HINT = set("伟强磊军洋勇杰涛明超刚建国辉鹏飞宇浩然博俊")

COMPANIES = (
    "星辰科技", "华信咨询", "远航物流", "蓝海贸易", "博雅教育", "恒通律师事务所", "明德会计师事务所",
    "天合投资", "新瑞医药", "润泽设计", "嘉禾餐饮", "安信保险", "云图数据", "青松建筑", "鼎盛地产",
    "海纳传媒", "正和置业", "启明软件", "金桥银行支行", "康宁口腔诊所", "晨光文化", "中联通信",
    "百川环保", "禾木家居", "银河旅行社", "瑞丰电子", "万象广告", "同舟人力资源", "弘毅基金", "东方译馆",
)
DEPARTMENTS = ("engineering", "cleaning", "security", "customer_service", "finance", "landscaping")
STAFF_TEXT = ("维修班 刘师傅", "维修班 赵师傅", "保洁组 陈阿姨", "秩序维护部 周队长", "工程部 孙工", "财务部 何会计")

VISIT_NOTES = ("送快递", "取文件", "装修审批", "办理门禁卡", "面试", "看房", "缴纳物业费", "咨询停车位",
               "送餐", "维修上门", "会议来访", "家政服务")
CALL_SUMMARIES = ("咨询物业费缴纳方式", "反映楼道灯不亮", "询问停车月卡办理", "卫生间漏水报修",
                  "投诉楼上噪音", "预约装修申请", "询问快递代收", "电梯异响反映", "咨询门禁卡补办",
                  "空调不制冷报修", "反映垃圾未及时清运", "询问水电费账单")
TICKET_TEXTS = {
    "repair": ("厨房水龙头漏水", "卫生间下水堵塞", "入户门锁损坏", "客厅灯具不亮", "空调滴水",
               "窗户关不严", "墙面渗水", "插座没电"),
    "complaint": ("楼上装修噪音过大", "保洁不及时", "车位被占用", "电梯等候时间长", "宠物扰民",
                  "保安态度不好", "快递堆放楼道"),
    "inquiry": ("物业费收费标准", "停车月卡办理流程", "装修申请需要什么材料", "门禁卡补办",
                "小区开放时间"),
    "suggestion": ("建议增加快递柜", "建议增设儿童游乐设施", "建议延长服务中心时间", "建议更换大堂座椅"),
    "callback": ("客户要求回电说明进度", "回电确认上门时间", "回电告知处理结果"),
}
HANDOVER_NOTES = ("3-1202 钥匙已借出未还,请跟进", "A座电梯维保至下午四点", "今日快递较多,注意放行登记",
                  "明早九点消防演练,提前告知来访客户", "2-0801 投诉噪音,已派秩序维护部处理,请回访",
                  "大堂雨伞已全部借出", "无特别事项", "停车场入口道闸故障,已报工程部")
FOLLOW_UP_COMMENTS = ("处理及时,满意", "师傅态度很好", "希望下次快一点", "问题已解决", "还需观察几天",
                      "沟通清楚", "上门时间有延误")
PROGRESS_NOTES = ("已联系责任部门,正在处理", "师傅明天上午上门", "已协调施工方,今晚停工", "配件已订购,到货后安排",
                  "经理已知悉,正在协调", "已告知处理进度,客户表示理解")
INSPECTION_COMMENTS = ("仪容整洁,接待主动", "电话三声内接听", "工牌未佩戴,已提醒", "来访登记完整",
                       "问候语规范", "等候客户致歉到位")


def person_name(rng: random.Random) -> tuple[str, str]:
    """(full name, honorific code). Surnames weighted towards the common ones."""
    surname = SURNAMES[int(len(SURNAMES) * rng.random() ** 1.6)]
    given = rng.choice(GIVEN_CHARS) + (rng.choice(GIVEN_CHARS) if rng.random() < 0.7 else "")
    male = given[-1] in MALE_HINT if rng.random() < 0.85 else rng.random() < 0.5
    if rng.random() < 0.03:
        return surname + given, "child"
    if male:
        return surname + given, "mr"
    return surname + given, ("ms" if rng.random() < 0.6 else ("miss" if rng.random() < 0.6 else "mrs"))


_MOBILE_PREFIXES = ("130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152",
                    "155", "156", "158", "159", "166", "176", "177", "180", "181", "185", "186", "187",
                    "188", "189", "191", "199")


def mobile(rng: random.Random) -> str:
    """A CN mobile number in the form services/phone_numbers.normalise stores (11 digits)."""
    return rng.choice(_MOBILE_PREFIXES) + f"{rng.randrange(100_000_000):08d}"


def landline(rng: random.Random) -> str:
    return "021" + f"{rng.randrange(50_000_000, 70_000_000):08d}"


def units(buildings: int, floors: int, per_floor: int) -> list[str]:
    """Residential units '3-1202' (building-floor+room), the directory's unit format."""
    return [f"{b}-{f:02d}{r:02d}" for b in range(1, buildings + 1)
            for f in range(1, floors + 1) for r in range(1, per_floor + 1)]


def office_units(towers: str, floors: int) -> list[str]:
    return [f"{t}座 {f}F" for t in towers for f in range(2, floors + 1)]
