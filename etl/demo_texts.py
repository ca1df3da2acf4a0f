"""The demo's illustrative recommendation texts, in English with a Russian translation, by theme,
and the endings that vary them."""

from __future__ import annotations

TEXTS: dict[str, tuple[tuple[str, str], ...]] = {
    "death_penalty": (
        ("Abolish the death penalty for all crimes", "Полностью отменить смертную казнь за все преступления"),
        (
            "Ratify the Second Optional Protocol to the ICCPR, aiming at the abolition of the death penalty",
            "Ратифицировать второй Факультативный протокол к МПГПП, направленный на отмену смертной казни",
        ),
        (
            "Maintain the moratorium on executions with a view to abolishing the death penalty",
            "Сохранить мораторий на исполнение смертных приговоров в целях отмены смертной казни",
        ),
    ),
    "torture": (
        (
            "Investigate promptly and impartially all allegations of torture and ill-treatment",
            "Оперативно и беспристрастно расследовать все заявления о пытках и жестоком обращении",
        ),
        (
            "Strengthen the national preventive mechanism against torture",
            "Укрепить национальный превентивный механизм против пыток",
        ),
        (
            "Bring the definition of torture in the Criminal Code into line with the Convention against Torture",
            "Привести определение пытки в Уголовном кодексе в соответствие с Конвенцией против пыток",
        ),
    ),
    "justice": (
        ("Ensure the independence of the judiciary", "Обеспечить независимость судебной власти"),
        ("Continue the reform of law-enforcement bodies", "Продолжить реформу правоохранительных органов"),
        ("Guarantee access to legal aid for all", "Гарантировать доступ к юридической помощи для всех"),
    ),
    "international_instruments": (
        (
            "Ratify the Rome Statute of the International Criminal Court",
            "Ратифицировать Римский статут Международного уголовного суда",
        ),
        (
            "Ratify the International Convention for the Protection of All Persons from Enforced Disappearance",
            "Ратифицировать Международную конвенцию для защиты всех лиц от насильственных исчезновений",
        ),
        (
            "Ratify the Optional Protocol to the International Covenant on Economic, Social and Cultural Rights",
            "Ратифицировать Факультативный протокол к Международному пакту об экономических, социальных и культурных правах",
        ),
    ),
    "un_cooperation": (
        (
            "Extend a standing invitation to the special procedures",
            "Направить постоянное приглашение специальным процедурам",
        ),
        ("Submit overdue reports to the treaty bodies", "Представить просроченные доклады договорным органам"),
    ),
    "national_framework": (
        (
            "Adopt and implement a national human rights action plan",
            "Принять и осуществить национальный план действий в области прав человека",
        ),
        (
            "Continue strengthening the national human rights framework",
            "Продолжить укрепление национальной системы защиты прав человека",
        ),
    ),
    "nhri": (
        (
            "Bring the Ombudsman's office into full compliance with the Paris Principles",
            "Привести институт Уполномоченного по правам человека в полное соответствие с Парижскими принципами",
        ),
    ),
    "human_rights_defenders": (
        ("Create a safe environment for human rights defenders", "Создать безопасную среду для правозащитников"),
    ),
    "human_rights_education": (
        (
            "Continue human rights training for law-enforcement officials",
            "Продолжить обучение сотрудников правоохранительных органов правам человека",
        ),
    ),
    "equality_non_discrimination": (
        (
            "Adopt comprehensive anti-discrimination legislation",
            "Принять всеобъемлющее антидискриминационное законодательство",
        ),
    ),
    "liberty_security": (
        ("Reduce the use of pre-trial detention", "Сократить применение досудебного содержания под стражей"),
    ),
    "freedom_expression": (
        ("Decriminalise defamation", "Декриминализировать клевету"),
        (
            "Guarantee the freedom of the media and the safety of journalists",
            "Гарантировать свободу СМИ и безопасность журналистов",
        ),
    ),
    "peaceful_assembly": (
        (
            "Bring the law on peaceful assemblies into line with international standards",
            "Привести закон о мирных собраниях в соответствие с международными стандартами",
        ),
    ),
    "association": (
        ("Simplify the registration of public associations", "Упростить регистрацию общественных объединений"),
    ),
    "religion": (
        (
            "Guarantee freedom of religion or belief for all religious communities",
            "Гарантировать свободу вероисповедания для всех религиозных общин",
        ),
    ),
    "women": (
        ("Criminalise domestic violence", "Криминализировать бытовое насилие"),
        ("Increase the participation of women in decision-making", "Расширить участие женщин в принятии решений"),
    ),
    "children": (
        (
            "Prohibit corporal punishment of children in all settings",
            "Запретить телесные наказания детей во всех условиях",
        ),
        ("Strengthen juvenile justice", "Укрепить систему ювенальной юстиции"),
    ),
    "disability": (
        (
            "Ensure inclusive education for children with disabilities",
            "Обеспечить инклюзивное образование для детей с инвалидностью",
        ),
        (
            "Ratify the Optional Protocol to the Convention on the Rights of Persons with Disabilities",
            "Ратифицировать Факультативный протокол к Конвенции о правах инвалидов",
        ),
    ),
    "migrants_refugees": (
        (
            "Protect the rights of migrant workers and their families",
            "Защищать права трудящихся-мигрантов и членов их семей",
        ),
        ("Reduce and prevent statelessness", "Сокращать и предотвращать безгражданство"),
    ),
    "trafficking": (
        ("Combat trafficking in persons and protect its victims", "Бороться с торговлей людьми и защищать её жертв"),
    ),
    "labour": (("Guarantee the right to form trade unions", "Гарантировать право на создание профсоюзов"),),
    "health": (
        ("Improve access to health care in rural areas", "Улучшить доступ к медицинской помощи в сельской местности"),
    ),
    "education": (
        ("Ensure access to quality education for all", "Обеспечить доступ к качественному образованию для всех"),
    ),
    "economic_social": (("Continue efforts to reduce poverty", "Продолжить усилия по сокращению бедности"),),
    "environment": (
        ("Protect the right to a healthy environment", "Защищать право на благоприятную окружающую среду"),
    ),
    "minorities_indigenous": (("Protect the rights of ethnic minorities", "Защищать права этнических меньшинств"),),
    "lgbti": (
        (
            "Combat discrimination based on sexual orientation and gender identity",
            "Бороться с дискриминацией по признаку сексуальной ориентации и гендерной идентичности",
        ),
    ),
}
# Clauses that make each recommendation's text its own.
VARIANTS: tuple[tuple[str, str], ...] = (
    ("", ""),
    (", in line with its international obligations", " в соответствии со своими международными обязательствами"),
    (", and allocate adequate resources to this end", " и выделить на эти цели достаточные ресурсы"),
    (", in consultation with civil society", " в консультации с гражданским обществом"),
    (", and report on progress at the next review", " и сообщить о прогрессе на следующем обзоре"),
    (" without delay", " без промедления"),
    (", including through legislative amendments", ", в том числе путём внесения поправок в законодательство"),
    (", with a clear timetable", " с чётким графиком"),
    (", building on the progress already achieved", ", опираясь на уже достигнутый прогресс"),
    (", with the support of the international community", " при поддержке международного сообщества"),
    (", and raise public awareness of it", " и повышать информированность общества об этом"),
    (", in particular in the regions", ", в особенности в регионах"),
)
