//! Vietnamese names, places and petition texts for the demo and the scale generator.

use danvan_domain::records::PetitionType;
use rand::Rng;
use rand::seq::SliceRandom;

const FAMILY: &[&str] = &[
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
    "Hồ", "Ngô", "Dương", "Lý",
];
const MIDDLE_M: &[&str] = &[
    "Văn", "Hữu", "Đức", "Minh", "Quang", "Thanh", "Công", "Xuân",
];
const MIDDLE_F: &[&str] = &["Thị", "Ngọc", "Thu", "Kim", "Thanh", "Mỹ"];
const GIVEN_M: &[&str] = &[
    "An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Khánh", "Long", "Minh", "Nam", "Phong", "Quý",
    "Sơn", "Tâm", "Thắng", "Toàn", "Tuấn", "Việt",
];
const GIVEN_F: &[&str] = &[
    "Anh",
    "Châu",
    "Dung",
    "Hà",
    "Hạnh",
    "Hoa",
    "Hương",
    "Lan",
    "Liên",
    "Mai",
    "Nga",
    "Oanh",
    "Phượng",
    "Thảo",
    "Thủy",
    "Trang",
    "Vân",
    "Yến",
];

pub fn person_name(rng: &mut impl Rng) -> String {
    let family = FAMILY.choose(rng).copied().unwrap_or("Nguyễn");
    if rng.gen_bool(0.55) {
        format!(
            "{family} {} {}",
            MIDDLE_M.choose(rng).copied().unwrap_or("Văn"),
            GIVEN_M.choose(rng).copied().unwrap_or("An")
        )
    } else {
        format!(
            "{family} {} {}",
            MIDDLE_F.choose(rng).copied().unwrap_or("Thị"),
            GIVEN_F.choose(rng).copied().unwrap_or("Lan")
        )
    }
}

/// A plausible 12-digit CCCD for a province code and a birth year.
pub fn cccd(rng: &mut impl Rng, province: u32, birth_year: i32, female: bool) -> String {
    let century = if birth_year >= 2000 { 2 } else { 0 } + u32::from(female);
    format!(
        "{province:03}{century}{:02}{:06}",
        birth_year % 100,
        rng.gen_range(0..1_000_000)
    )
}

pub fn phone(rng: &mut impl Rng) -> String {
    let prefix = ["090", "091", "098", "097", "035", "083", "070"]
        .choose(rng)
        .copied()
        .unwrap_or("090");
    format!("{prefix}{:07}", rng.gen_range(0..10_000_000))
}

const HAMLETS: &[&str] = &[
    "thôn 1",
    "thôn 2",
    "thôn 3",
    "khu phố 1",
    "khu phố 2",
    "khu phố 4",
    "thôn Lạc Sơn",
    "thôn Đông Hải",
    "thôn Quý Thạnh",
    "thôn Phú Long",
];

pub fn address(rng: &mut impl Rng, commune: &str, district: &str, province: &str) -> String {
    let hamlet = HAMLETS.choose(rng).copied().unwrap_or("thôn 1");
    if district.is_empty() {
        format!("{hamlet}, {commune}, {province}")
    } else {
        format!("{hamlet}, {commune}, {district}, {province}")
    }
}

/// Texts per field: (petition type, summary template). `{place}` is a commune name.
pub fn content(rng: &mut impl Rng, field: &str, place: &str) -> (PetitionType, String) {
    let options: &[(PetitionType, &str)] = match field {
        "DD-TC" => &[
            (
                PetitionType::Complaint,
                "Đề nghị giải quyết tranh chấp ranh giới đất đai với hộ liền kề tại {place}",
            ),
            (
                PetitionType::Recommendation,
                "Tranh chấp quyền sử dụng đất trong gia đình, đề nghị chính quyền hòa giải tại {place}",
            ),
            (
                PetitionType::Complaint,
                "Khiếu nại việc hòa giải tranh chấp đất đai của UBND {place} không khách quan",
            ),
        ],
        "DD-TH" => &[
            (
                PetitionType::Complaint,
                "Khiếu nại quyết định thu hồi đất và phương án bồi thường, hỗ trợ tái định cư tại {place}",
            ),
            (
                PetitionType::Complaint,
                "Khiếu nại giá bồi thường giải tỏa khi thu hồi đất làm đường giao thông qua {place}",
            ),
            (
                PetitionType::Recommendation,
                "Kiến nghị bố trí đất tái định cư cho các hộ bị thu hồi đất tại {place}",
            ),
        ],
        "DD-GCN" => &[
            (
                PetitionType::Complaint,
                "Khiếu nại việc chậm cấp giấy chứng nhận quyền sử dụng đất tại {place}",
            ),
            (
                PetitionType::Complaint,
                "Khiếu nại việc cấp giấy chứng nhận quyền sử dụng đất chồng lấn diện tích tại {place}",
            ),
            (
                PetitionType::Recommendation,
                "Đề nghị cấp đổi giấy chứng nhận quyền sử dụng đất cho hộ gia đình tại {place}",
            ),
        ],
        "DD-NHA" => &[(
            PetitionType::Recommendation,
            "Kiến nghị về việc xây dựng nhà ở trái phép gây ảnh hưởng hộ liền kề tại {place}",
        )],
        "HC-CS" => &[
            (
                PetitionType::Recommendation,
                "Đề nghị xem xét chế độ chính sách người có công với cách mạng tại {place}",
            ),
            (
                PetitionType::Complaint,
                "Khiếu nại việc cắt trợ cấp bảo trợ xã hội tại {place}",
            ),
        ],
        "HC-CBCC" => &[
            (
                PetitionType::Denunciation,
                "Tố cáo cán bộ địa chính {place} gây khó khăn, nhũng nhiễu khi làm thủ tục",
            ),
            (
                PetitionType::Recommendation,
                "Phản ánh thái độ làm việc của công chức bộ phận một cửa {place}",
            ),
        ],
        "HC-KHAC" => &[(
            PetitionType::Recommendation,
            "Phản ánh ô nhiễm môi trường từ cơ sở chế biến hải sản tại {place}",
        )],
        "TP" => &[(
            PetitionType::Complaint,
            "Khiếu nại việc thi hành án dân sự chậm trễ liên quan đến hộ dân tại {place}",
        )],
        "TN" => &[(
            PetitionType::Denunciation,
            "Tố cáo sai phạm trong quản lý, sử dụng kinh phí xây dựng nông thôn mới tại {place}",
        )],
        "DANG" => &[(
            PetitionType::Denunciation,
            "Tố cáo đảng viên vi phạm quy định về những điều đảng viên không được làm tại {place}",
        )],
        _ => &[(
            PetitionType::Recommendation,
            "Kiến nghị sửa chữa tuyến đường xuống cấp, mất an toàn giao thông tại {place}",
        )],
    };
    let (t, template) = options
        .choose(rng)
        .copied()
        .unwrap_or((PetitionType::Recommendation, "Kiến nghị tại {place}"));
    (t, template.replace("{place}", place))
}
