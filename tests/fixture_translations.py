"""Fixture translations of any catalog: real words of the target script, built
from each msgid so the translation checks pass (the same link targets, numbers
and emphasis).  They are not translations anyone should read; they make a whole
handout in Arabic, Hebrew, Persian or Chinese to read back from the PDF."""

from __future__ import annotations

import re

LINK = re.compile(r"\[([^\]]*)\]\(([^)\s]+)\)")
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
URL = re.compile(r"https?://[^\s)>\]]*[^\s)>\].,]")

# Lam-alef and lam-yeh ligatures, tanween, hamza forms: the words extraction got wrong.
ARABIC = ["على المريضة أن تتحدث إلى الطبيب قبل العلاج",
          "لا تتوقفي عن الدواء إلا بعد استشارة الفريق",
          "يمكن أن يعود السرطان بعد سنوات طويلة أحياناً",
          "اشربي الماء واستريحي جيداً كل يوم",
          "العلاج الإشعاعي والعلاج الكيميائي متاحان للمرضى",
          "اسألي عن الأعراض الجديدة مثل الألم أو التعب"]
ARABIC_LINK = ["معلومات إضافية", "الإجراءات", "العلاج"]
HEBREW = ["שאלי את הרופא לפני הטיפול", "אל תפסיקי את התרופה בלי להתייעץ",
          "הסרטן יכול לחזור אחרי שנים רבות", "שתי מים ונוחי היטב כל יום"]
HEBREW_LINK = ["מידע נוסף", "הטיפול"]
PERSIAN = ["پیش از درمان با پزشک خود صحبت کنید", "این دارو را بدون مشورت قطع نکنید",
           "سرطان می‌تواند پس از سال‌ها بازگردد", "هر روز آب بنوشید و استراحت کنید"]
PERSIAN_LINK = ["اطلاعات بیشتر", "درمان"]
CHINESE = ["治疗前请先与医生交谈。", "未经咨询，请勿停止服药。", "癌症可能在多年后复发。",
           "每天多喝水，好好休息。", "如有新的症状，例如疼痛或疲倦，请告诉医生。"]
CHINESE_LINK = ["更多信息", "治疗方法"]

SCRIPTS = {"ar": (ARABIC, ARABIC_LINK), "he": (HEBREW, HEBREW_LINK),
           "fa": (PERSIAN, PERSIAN_LINK), "zh-Hans": (CHINESE, CHINESE_LINK)}


def translate(msgid: str, locale: str, index: int) -> str:
    """A fixture "translation" of ``msgid`` keeping its links, numbers and bold."""
    sentences, link_words = SCRIPTS[locale]
    sentence = sentences[index % len(sentences)]
    parts = [f"**{sentence}**" if msgid.startswith("**") else sentence]
    for number, (_, target) in enumerate(LINK.findall(msgid)):
        parts.append(f"[{link_words[number % len(link_words)]}]({target})")
    without_links = LINK.sub(" ", msgid)
    addresses = URL.findall(without_links)
    parts.extend(addresses)
    parts.extend(NUMBER.findall(URL.sub(" ", without_links)))
    if "**" in msgid and not msgid.startswith("**"):
        parts.append(f"**{link_words[0]}**")
    joiner = "" if locale == "zh-Hans" else " "
    return joiner.join(parts)
