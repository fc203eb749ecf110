#!/usr/bin/env python3
"""Builds the labelled evaluation sets of issue 5 (deterministic; the output is committed):

eval/duplicates.jsonl  pairs of petition texts with the sender's ID number and a label:
    resent      the same letter sent again
    edited      the same letter with a new greeting and date line
    stripped    the same letter typed without diacritics (and in upper/lower case)
    elsewhere   the same letter addressed to another body
    paraphrase  the same matter told in other words (text alone cannot tell; the ID can)
    negative    same field and commune, a different matter (a hard negative)
eval/search.jsonl      records (petitions) and queries typed the ways officials type, each
    query with the record it must find in the first ten results.

Run: python3 scripts/make-eval.py  (no dependencies)."""
import json, random, unicodedata, os

rng = random.Random(2026)

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng",
            "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Lương", "Mai", "Tạ"]
MIDDLES = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thanh", "Quốc", "Xuân", "Thu",
           "Kim", "Bảo", "Gia", "Hoài", "Công"]
GIVENS = ["An", "Bình", "Cường", "Dũng", "Hà", "Hải", "Hòa", "Hùng", "Huệ", "Khoa", "Lan",
          "Long", "Mai", "Nam", "Nga", "Nghĩa", "Phúc", "Phương", "Quý", "Quyên", "Sơn",
          "Tâm", "Thảo", "Thủy", "Toàn", "Trinh", "Tuấn", "Uyên", "Vinh", "Yến", "Thúy",
          "Hoà", "Khuê", "Loan", "Tùng", "Thoa", "Vân", "Xuyến", "Lý", "Kỳ"]
PLACES = [("xã Tam Thanh", "đặc khu Phú Quý", "tỉnh Lâm Đồng"),
          ("xã Ngũ Phụng", "đặc khu Phú Quý", "tỉnh Lâm Đồng"),
          ("phường Phan Thiết", "", "tỉnh Lâm Đồng"),
          ("xã Hàm Thuận", "", "tỉnh Lâm Đồng"),
          ("phường Bảo Lộc", "", "tỉnh Lâm Đồng"),
          ("xã Đức Trọng", "", "tỉnh Lâm Đồng"),
          ("phường Xuân Hương – Đà Lạt", "", "tỉnh Lâm Đồng"),
          ("xã Di Linh", "", "tỉnh Lâm Đồng")]
BODIES = ["UBND tỉnh Lâm Đồng", "Chủ tịch UBND tỉnh Lâm Đồng", "Ban Tiếp công dân tỉnh Lâm Đồng",
          "Thanh tra tỉnh Lâm Đồng", "Sở Nông nghiệp và Môi trường tỉnh Lâm Đồng",
          "Đoàn đại biểu Quốc hội tỉnh Lâm Đồng", "Ủy ban MTTQ Việt Nam tỉnh Lâm Đồng",
          "Ban Dân vận Tỉnh ủy Lâm Đồng", "Thường trực HĐND tỉnh Lâm Đồng"]

# Matters: (field, two phrasings of the same facts). Slots: {place} {parcel} {sheet} {area}
# {neighbor} {amount} {official} {project} {year}.
MATTERS = [
    ("DD-TC", [
        "đề nghị giải quyết dứt điểm tranh chấp ranh giới đất đai với hộ ông {neighbor} tại thửa đất số {parcel}, tờ bản đồ số {sheet}, {place}; việc hòa giải ở cơ sở đã nhiều lần không thành",
        "hộ ông {neighbor} lấn chiếm phần ranh giới thửa {parcel} tờ {sheet} của gia đình tôi ở {place}; hòa giải tại thôn, xã nhiều lần vẫn không xong nên nay xin cấp trên giải quyết"]),
    ("DD-TH", [
        "khiếu nại quyết định thu hồi {area} m² đất nông nghiệp tại thửa {parcel}, tờ bản đồ số {sheet} để thực hiện dự án {project}; mức bồi thường {amount} đồng là quá thấp so với giá thị trường",
        "gia đình tôi bị thu hồi {area} m² đất trồng lúa (thửa {parcel}, tờ {sheet}) cho dự án {project} nhưng chỉ được bồi thường {amount} đồng, không tương xứng giá đất thực tế, nên tôi khiếu nại"]),
    ("DD-GCN", [
        "đề nghị cấp giấy chứng nhận quyền sử dụng đất cho thửa đất số {parcel}, tờ bản đồ số {sheet}, diện tích {area} m² mà gia đình tôi sử dụng ổn định từ năm {year}, hồ sơ đã nộp từ lâu nhưng chưa được giải quyết",
        "hồ sơ xin cấp sổ đỏ thửa {parcel} tờ {sheet} ({area} m², gia đình sử dụng liên tục từ {year}) nộp đã lâu mà chưa được cấp, kính đề nghị xem xét"]),
    ("DD-TH", [
        "đề nghị bố trí tái định cư cho hộ gia đình tôi khi bị thu hồi toàn bộ {area} m² đất ở tại {place} để làm dự án {project}; đến nay chưa được giao đất tái định cư",
        "nhà và {area} m² đất ở của tôi tại {place} bị thu hồi làm dự án {project} nhưng tới giờ vẫn chưa được giao lô tái định cư như đã hứa"]),
    ("HC-CBCC", [
        "tố cáo ông {official}, cán bộ địa chính {place}, có hành vi nhận tiền {amount} đồng của người dân để làm thủ tục đất đai nhưng không thực hiện",
        "ông {official} làm địa chính ở {place} đã cầm của dân {amount} đồng hứa lo giấy tờ đất mà không làm, tôi tố cáo hành vi này"]),
    ("HC-CS", [
        "đề nghị xem xét chế độ trợ cấp người có công với cách mạng cho bố tôi là liệt sĩ, hồ sơ đã nộp tại {place} từ năm {year} nhưng chưa được giải quyết",
        "bố tôi là liệt sĩ; từ năm {year} gia đình đã nộp hồ sơ hưởng chế độ người có công ở {place} mà đến nay vẫn chưa có kết quả, kính mong được xem xét"]),
    ("HC-CS", [
        "phản ánh việc bình xét hộ nghèo năm {year} tại {place} không công khai, minh bạch, nhiều hộ khá giả được đưa vào danh sách còn gia đình tôi khó khăn lại bị loại",
        "năm {year} thôn tôi ở {place} xét hộ nghèo không công khai: nhà khá giả thì có tên, nhà tôi nghèo thật thì không, đề nghị kiểm tra lại"]),
    ("HC-KHAC", [
        "phản ánh cơ sở chế biến hải sản gần khu dân cư {place} xả nước thải chưa qua xử lý ra môi trường, gây ô nhiễm và mùi hôi kéo dài nhiều tháng nay",
        "nhà xưởng chế biến cá cạnh xóm tôi ở {place} thải nước bẩn thẳng ra mương, mùi hôi nồng nặc cả mấy tháng, đề nghị cơ quan chức năng xử lý"]),
    ("HC-KHAC", [
        "kiến nghị sửa chữa tuyến đường liên thôn tại {place} đã xuống cấp nghiêm trọng, mùa mưa ngập sâu, học sinh và người dân đi lại rất nguy hiểm",
        "con đường nối các thôn ở {place} hư hỏng nặng, mưa xuống là ngập, trẻ đi học rất nguy hiểm, xin chính quyền sớm sửa"]),
    ("DD-TC", [
        "khiếu nại việc UBND {place} cấp giấy chứng nhận quyền sử dụng đất thửa {parcel}, tờ {sheet} cho ông {neighbor} chồng lấn lên {area} m² đất của gia đình tôi",
        "giấy chứng nhận mà xã {place} cấp cho ông {neighbor} ở thửa {parcel} tờ {sheet} lại trùm lên {area} m² đất nhà tôi, nên tôi khiếu nại việc cấp sổ này"]),
    ("TP", [
        "đề nghị xem xét lại bản án dân sự phúc thẩm về tranh chấp hợp đồng chuyển nhượng thửa đất {parcel}, tờ {sheet} tại {place} vì có dấu hiệu vi phạm nghiêm trọng thủ tục tố tụng",
        "bản án phúc thẩm xử vụ tranh chấp chuyển nhượng thửa {parcel} tờ {sheet} ở {place} vi phạm tố tụng nghiêm trọng, tôi đề nghị giám đốc thẩm xem xét lại"]),
    ("HC-CBCC", [
        "tố cáo chủ tịch UBND {place} là ông {official} có dấu hiệu lợi dụng chức vụ để hợp thức hóa {area} m² đất công cho người thân",
        "ông {official}, chủ tịch {place}, đã dùng quyền để hợp thức hóa {area} m² đất công đứng tên người nhà, tôi làm đơn tố cáo"]),
    ("DD-TH", [
        "đề nghị chi trả tiền hỗ trợ chuyển đổi nghề nghiệp khi Nhà nước thu hồi {area} m² đất sản xuất của gia đình tại {place} cho dự án {project}, đến nay chưa nhận được",
        "bị thu hồi {area} m² đất sản xuất làm dự án {project} ở {place} mà gia đình vẫn chưa nhận được khoản hỗ trợ chuyển đổi nghề, xin được chi trả"]),
    ("HC-KHAC", [
        "phản ánh tình trạng khai thác cát trái phép trên sông tại {place} diễn ra ban đêm, gây sạt lở bờ sông, đe dọa nhà cửa của nhiều hộ dân",
        "đêm nào cũng có ghe hút cát lậu trên sông đoạn qua {place}, bờ sông sạt lở vào tới sát nhà dân, đề nghị ngăn chặn"]),
    ("HC-CS", [
        "đề nghị giải quyết chế độ bảo hiểm xã hội một lần cho tôi, đã nghỉ việc tại công ty từ năm {year}, hồ sơ nộp tại {place} bị trả lại nhiều lần không rõ lý do",
        "tôi nghỉ làm ở công ty từ {year}, nộp hồ sơ nhận bảo hiểm xã hội một lần ở {place} mấy lần đều bị trả về mà không nói lý do, xin được giải quyết"]),
]
PROJECTS = ["mở rộng cảng Phú Quý", "đường ven biển ĐT.719B", "khu dân cư Bắc Phan Thiết",
            "hồ chứa nước Ka Pét", "cao tốc Dầu Giây – Liên Khương", "khu công nghiệp Sơn Mỹ"]
GREETINGS = ["Kính gửi: {body}.", "Kính gửi {body}", "Kính gửi: Ông Chủ tịch {body}.",
             "KÍNH GỬI: {body}"]
DATES = ["{place_short}, ngày {d} tháng {m} năm {y}", "Ngày {d}/{m}/{y}", "{place_short}, ngày {d}/{m}/{y}."]

def full_name(used):
    while True:
        n = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLES)} {rng.choice(GIVENS)}"
        if n not in used:
            used.add(n)
            return n

def cccd(province="068"):
    return province + "".join(str(rng.randint(0, 9)) for _ in range(9))

def facts(place):
    return dict(place=", ".join(p for p in place if p), parcel=rng.randint(10, 999),
                sheet=rng.randint(1, 60), area=rng.choice([45, 80, 120, 150, 200, 350, 500, 1200]),
                neighbor=f"{rng.choice(SURNAMES)} {rng.choice(['Văn', 'Hữu', 'Đức'])} {rng.choice(GIVENS)}",
                amount=f"{rng.randint(2, 900)}.{rng.randint(0, 999):03d}.000",
                official=f"{rng.choice(SURNAMES)} {rng.choice(['Văn', 'Minh', 'Quốc'])} {rng.choice(GIVENS)}",
                project=rng.choice(PROJECTS), year=rng.randint(2005, 2023))

def letter(name, place, body, matter_text, date):
    greet = rng.choice(GREETINGS).format(body=body)
    short = place[0].split(" ", 1)[1] if " " in place[0] else place[0]
    d = rng.choice(DATES).format(place_short=short, d=date[0], m=date[1], y=date[2])
    d = d.rstrip(".")
    return (f"{greet} {d}. Tôi tên là {name}, trú tại {', '.join(p for p in place if p)}. "
            f"Tôi làm đơn này {matter_text}. Kính mong các cấp xem xét giải quyết. Xin trân trọng cảm ơn.")

def new_header(text, body, date, place):
    """The same letter with another greeting and date line (the body kept)."""
    rest = text.split("Tôi tên là", 1)[1]
    greet = rng.choice(GREETINGS).format(body=body)
    short = place[0].split(" ", 1)[1] if " " in place[0] else place[0]
    d = rng.choice(DATES).format(place_short=short, d=date[0], m=date[1], y=date[2]).rstrip(".")
    return f"{greet} {d}. Tôi tên là{rest}"

def strip(text):
    out = "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")
    out = out.replace("đ", "d").replace("Đ", "D")
    return out.lower() if rng.random() < 0.5 else out

def rdate():
    return (rng.randint(1, 28), rng.randint(1, 12), rng.choice([2024, 2025, 2026]))

used = set()
pairs = []
records = []
for i in range(60):
    place = rng.choice(PLACES)
    field, phrasings = rng.choice(MATTERS)
    f = facts(place)
    name = full_name(used)
    idn = cccd()
    body = rng.choice(BODIES)
    base = letter(name, place, body, phrasings[0].format(**f), rdate())
    records.append(dict(key=f"r{i}", name=name, id_number=idn, place=place[0], field=field,
                        text=base, facts=f))
    # Positives.
    pairs.append(dict(label="resent", a=base, b=base, id_a=idn, id_b=idn))
    pairs.append(dict(label="edited", a=base, b=new_header(base, body, rdate(), place), id_a=idn, id_b=idn))
    pairs.append(dict(label="stripped", a=base, b=strip(new_header(base, body, rdate(), place) if rng.random() < 0.5 else base), id_a=idn, id_b=idn))
    other = rng.choice([b for b in BODIES if b != body])
    pairs.append(dict(label="elsewhere", a=base, b=new_header(base, other, rdate(), place), id_a=idn, id_b=idn))
    # A paraphrase: the same facts, the other wording, another letter layout.
    para = letter(name, place, rng.choice(BODIES), phrasings[1].format(**f), rdate())
    pairs.append(dict(label="paraphrase", a=base, b=para, id_a=idn, id_b=idn))
    # Hard negatives: same field and commune, another matter of that field or another person.
    same_field = [m for m in MATTERS if m[0] == field and m[1] is not phrasings]
    g = facts(place)
    if same_field:
        other_matter = rng.choice(same_field)[1][0].format(**g)
    else:
        other_matter = phrasings[0].format(**g)  # same kind of matter, other parcel/people/amounts
    neg = letter(full_name(used), place, rng.choice(BODIES), other_matter, rdate())
    pairs.append(dict(label="negative", a=base, b=neg, id_a=idn, id_b=cccd()))

os.makedirs("eval", exist_ok=True)
with open("eval/duplicates.jsonl", "w", encoding="utf-8") as out:
    for p in pairs:
        out.write(json.dumps(p, ensure_ascii=False) + "\n")

# Search: each record with the ways officials would look for it.
def old_tone(s):
    # "hòa" → "hoà", "thủy" → "thuỷ", "hóa" → "hoá": the tone on the last vowel (old style).
    swaps = {"òa": "oà", "óa": "oá", "ỏa": "oả", "õa": "oã", "ọa": "oạ", "ủy": "uỷ", "úy": "uý",
             "ùy": "uỳ", "ũy": "uỹ", "ụy": "uỵ", "òe": "oè", "óe": "oé"}
    for a, b in swaps.items():
        s = s.replace(a, b)
    return s

queries = []
for r in records:
    name = r["name"]
    queries.append(dict(q=strip(name).lower(), expect=r["key"], how="name without marks"))
    queries.append(dict(q=unicodedata.normalize("NFD", name), expect=r["key"], how="name in NFD"))
    parts = name.split(" ")
    queries.append(dict(q=" ".join(parts[:-1] + [parts[-1][:2]]), expect=r["key"], how="name in part"))
    queries.append(dict(q=r["id_number"][:9], expect=r["key"], how="ID number fragment"))
    f = r["facts"]
    queries.append(dict(q=old_tone(f"{name.split(' ')[-1]} {r['place']}"), expect=r["key"], how="given name and place, old tone placement"))
with open("eval/search.jsonl", "w", encoding="utf-8") as out:
    for r in records:
        out.write(json.dumps(dict(record=r["key"], name=r["name"], id_number=r["id_number"],
                                  field=r["field"], text=r["text"]), ensure_ascii=False) + "\n")
    for q in queries:
        out.write(json.dumps(q, ensure_ascii=False) + "\n")
print(len(pairs), "pairs,", len(records), "records,", len(queries), "queries")
