"""What a question says, as the intent rules read it: keyword patterns and the linked entities."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .linking import Linked

R = re.compile
LEVEL_ASKED = r"哪一?级(?:人民)?(?:政府|部门|机关)"  # which level's body: a unit asked for, not one named
WHO = R(r"谁|哪个单位|哪些单位|哪家|哪[两三四几]家|哪个部门|哪些部门|什么单位|什么部门|哪几个单位|哪几个部门|牵头单位|责任单位|配合单位|由哪|指导部门|负责部门|责任部门"
        r"|哪(?:个|些|几个|几家)(?:厅|局|委|办|司|处|科|中心|机构|组|小组)"  # 哪个厅牵头, 底下哪个组受理
        r"|" + LEVEL_ASKED +  # 归哪一级政府来定
        r"|哪几家(?=牵头|负责|配合|参与|协助|来|在)"  # 那条是哪几家牵头的
        r"|(?:归|归口|交给|交由)(?:哪个|哪家|哪些|哪几个|哪几家)|谁挑头")  # 那条归哪几家
WHEN = R(r"什么时候|何时|截止|期限|时限|多久|哪天|哪一天|几月|几号完成|几号(?!文)|到哪天|哪天结束|何时结束|什么时候结束|时间节点|完成时间|截至时间|最后期限|deadline|啥时候|什么时间|哪个月|啥时|节点|最晚"
         r"|哪年(?=[^，。？?]{0,4}(?:完成|实现|消除|达到|建成|基本|全面|前)|年?底|末)")  # 哪年基本消除: a limit, not the issue year
DUE = R(r"完成|到期|截止|截到|截至|要做|做完|干完|办完|任务|工作|事|节点|干什么|做什么|干啥|安排")
# (延期 of a deferral the text grants — 延期交纳税款, 延期还本付息 — is a topic, not lateness)
OVERDUE = R(r"逾期|超期|(?<![证照件])过期|延期(?![交缴纳还付支申办开复举])|拖期|到期未|没按期|未按期|未按时|没按时|超时|过了(截止|期限|时间)|已经到期|已到期|延误|脱期")
UP = R(r"上级|依据|根据|按照|依照|出处|来源|上位|源头|往上|追溯|(?<!负责)(?<!牵头)(?<!要)(?:贯彻|落实)(的|了)?(是)?哪|哪个文件|什么文件|哪份文件|上面的文件|母文件|基于|贯彻哪|按照哪|按哪|依哪|依据哪|(?:的|上级|中央|国务院)部署"
      r"|为了?(?:对接|衔接|配合|落实|贯彻|执行|实施).{0,12}?哪|(?:对接|衔接)的?是?哪(?:个|份|部|项)"
      # 要遵循哪部法律、哪个标准 / 是落实国家哪份指南 / 引的是中央哪个《决定》: a document the text follows
      r"|(?:遵循|遵照|依据|依照|按照|(?<![按依遵参对])照|落实|贯彻|执行|对照|参照|引的?|援引|根据|符合|满足|实施|推广|履行|宣贯)"
      r"[^，。？?]{0,8}?哪[个份部项些一两几套]?[个份项套]?[^，。？?]{0,6}?"
      r"(?:文件|指南|方案|法律?|法规|条例|标准|规范|决定|意见|通知|规划|纲要|办法|规定|导则|精神|协定|协议|计划|预案|专项行动|工程|体系|目录|名录|《)"
      r"|按[^，。？?]{0,8}?哪[个份部项些两几]个?[^，。？?]{0,4}?(?:目录|名录|规定|标准|办法|文件)"  # 按国家卫健委哪个目录来认
      r"|哪[几两]?部法(?:律|规)?"  # 要宣传普及哪几部法律: the laws it names
      r"|哪[个份]?[个份]?(?:国家|行业|省级?)?(?:标准|指南|导则|预案|行动计划)")  # 拿哪个国家标准和哪份指南去对标
DOWN = R(r"(哪些|哪个|什么|几个)(下级|地方|单位|部门)?(方案|文件|计划|地方|下级|政策)?.{0,3}(落实|贯彻|执行(?![到至期])|承接|细化|依据|根据|按照|按(?=它|其|该)|照着?|参照|依照|对照|引用|转发)|被哪|被库里|下级|下发|往下|(?<!上)下游|传达|层层|怎么落实的|如何落实的|落实情况|落实它|贯彻.{0,20}的有哪|配套措施|替代|停止执行|引用了|引用|贯彻.{0,60}?的(有)?哪|哪些文件(?:里|中)?(?:提到|写到|提及|援引)"
         r"|库里[都还]?(?:有)?哪[个份些几]|(?:哪些|哪个|哪份|哪几份)(?:文件|方案|政策)[^，。？?]{0,12}?(?:落实|贯彻|执行|依据|根据|按照|参照|对照|引用|转发)(?:它|其|该)")
# 印发/发布/出台 ask about the document only next to a when/who word or as 印发日期 / 印发的: in
# `实现岗位信息在线发布要求什么时候完成` 发布 is part of the task
FACTS = R(r"谁发|哪个单位发|哪个部门发|发文(?!件)|(?:谁|哪天|何时|什么时候|哪年|几月|几号|哪个(?:单位|部门|机关))[^，。？?]{0,6}(?:印发|发布|出台)|"
          r"(?:印发|发布|出台)(?:的?(?:日期|时间|单位|机关|部门)|的[？?]?$|[？?]?$|了吗)|成文|签发|文号|文號|几号文|字号|"
          r"什么时候(发|出|印)|哪天(发|出|印)|日期|发的|制定单位|哪年(?![^，。？?]{0,4}(?:完成|实现|消除|达到|建成|基本|全面|前)|年?底|末)|哪个机关|颁发|哪个单位发|谁印发|(?<!报给)(?<!报送)(?<!交给)(?<!报到)(?<!上报)(?<!送到)(?:什么机构|哪个机构)|落款|签的是哪天")
TARGET = R(r"目标|指标|达到多少|控制在|浓度|多少天|不高于|不低于|以上|以下|多少微克|达标率|要求达到|量化|占比|比例|比重|多少所|多少个|多少"
           r"|(?:各|要|培育|建设|建成|新增)几(?:家|个|所|座|名|台|套)")  # 各要培育几家: a count to reach
PARTNER = R(r"一起|共同|合作|协同|搭档|联合|和谁|跟谁|同谁|与谁|伙伴|一块儿|一块干|和哪些单位|和哪个部门")
WORKLOAD = R(r"最多|最重|排名|排行|排序|排个序|最忙|工作量|任务量|多少(项|个|条)?任务|几项任务|最少|前几|top|TOP")
COUNT = R(r"(?<!哪)(多少|几)(条|项|款|块|方面)|(一共|总共|共有|共计|合计)(多少|几)|条数|项数")
NOLEAD = R(r"(?:没有?|无|缺少?|未)(?:写明?|明确|指定|标明?|列明?|注明)?牵头")
OPEN = R(r"措施|怎么|如何|怎样|什么要求|哪些要求|做法|办法|内容|关于|涉及|有关|方面|举措|规定|政策|支持|优惠|补贴|减免|"
         r"变了什么|改了什么|变化|有何不同|区别")
# what the text provides or requires, asked as such: 有啥奖补, 对…有什么时限要求 (the answer is the passage)
AID_WORDS = r"奖补|奖励|补助|补贴|资助|贴息|优惠"  # support the text grants: a provision, never a target
AID = R(AID_WORDS)
PROVISION = R(AID_WORDS + r"|扶持政策|(?:什么时候|何时|哪天|哪一天)(?:开始|起)?(?:施行|生效)|(?:什么|哪些|有何|啥)(?:时限|具体)?要求|(?:怎么|如何|有何|什么)规定")
# `对交通运输部门提了什么要求`: what a unit is asked to do (unit_tasks), when the 对… names a linked unit
ASKED_OF = R(r"对([^，,？?]{2,24}?)(?:提了|提出了?|有|作了|做了|下达了?)(?:什么|哪些|啥|何)(?:要求|部署|安排|任务)")
UNIT_TASK = R(r"任务|负责|牵头|配合|参与|承担|干|做|管|工作|事|职责|分工|活|指导|措施|条|项")
THIS_TASK = R(r"^那?它|它由|它是|它要|它的|这个任务|这项任务|该任务|此任务|这条任务|这项工作|这个工作|这一条|这条|它的|那个任务|上面那个")
THIS_DOC = R(r"这个方案|该方案|本方案|此方案|这个文件|该文件|这份文件|这份方案|这个计划|它的上级")
COMPLETION = R(r"完成率|完成比例|完成情况|完成进度|完成了多少|完成了几")
# how a case is to be handled (没完成…的部门怎么处理): a rule the passage states, not a status or a template
HANDLED = R(r"怎么处理|如何处理|怎么办|怎样处理")
NOT_DONE = R(r"没完成|未完成|没有完成|尚未完成|没做完|没办完|未办结|没有进展|没进展|未填报|没填报")
THIS_UNIT = R(r"这个单位|该单位|这个部门|该部门|他们|它们")


@dataclass
class Signals:
    q: str
    ln: Linked
    has_task_words: bool

    @property
    def has_unit(self) -> bool:
        return bool(self.ln.units)

    @property
    def has_actor(self) -> bool:
        """A linked unit, or a name in the actor slot the graph does not hold as a unit."""
        return bool(self.ln.units or self.ln.unknown_unit)

    @property
    def has_doc(self) -> bool:
        return bool(self.ln.documents)

    @property
    def has_period(self) -> bool:
        return self.ln.period is not None

    @property
    def has_ind(self) -> bool:
        return bool(self.ln.indicators)

    @property
    def year_only(self) -> bool:
        return self.has_period and re.fullmatch(r"\d{4}年", self.ln.period.text or "") is not None

    @property
    def unit_asked_of(self) -> bool:
        """`对<unit>有什么要求`: the requirements on a linked unit, i.e. its tasks."""
        m = ASKED_OF.search(self.ln.question)  # (self.q has the units' words blanked)
        return bool(m) and any(m.start(1) <= u.start and u.end <= m.end(1) for u in self.ln.units)

    def has(self, rx: re.Pattern) -> bool:
        return rx.search(self.q) is not None
