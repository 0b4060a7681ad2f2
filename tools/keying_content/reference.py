"""Reference tables: public place names, GST state codes, PIN ranges, trades."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class City:
    name: str
    state_code: str  # GST state code
    pin_low: int
    pin_high: int
    std_code: str  # landline trunk code
    localities: tuple[str, ...]


# fmt: off
CITIES: tuple[City, ...] = (
    City("Bengaluru", "29", 560001, 560103, "080",
         ("Indiranagar", "Koramangala", "Jayanagar", "Whitefield", "HSR Layout",
          "Malleshwaram", "Electronic City", "Banashankari")),
    City("Mumbai", "27", 400001, 400104, "022",
         ("Andheri East", "Powai", "Dadar West", "Borivali West", "Chembur",
          "Bandra West", "Goregaon East", "Mulund West")),
    City("Chennai", "33", 600001, 600119, "044",
         ("T Nagar", "Adyar", "Velachery", "Anna Nagar", "Mylapore", "Tambaram",
          "Porur")),
    City("Hyderabad", "36", 500001, 500097, "040",
         ("Madhapur", "Kondapur", "Banjara Hills", "Kukatpally", "Begumpet",
          "Gachibowli", "Ameerpet")),
    City("Pune", "27", 411001, 411062, "020",
         ("Kothrud", "Baner", "Hadapsar", "Viman Nagar", "Aundh", "Wakad")),
    City("Kolkata", "19", 700001, 700160, "033",
         ("Salt Lake", "Ballygunge", "Behala", "New Town", "Gariahat", "Dum Dum")),
    City("New Delhi", "07", 110001, 110096, "011",
         ("Lajpat Nagar", "Dwarka", "Rohini", "Karol Bagh", "Saket", "Janakpuri")),
    City("Ahmedabad", "24", 380001, 380061, "079",
         ("Navrangpura", "Satellite", "Bopal", "Maninagar", "Vastrapur")),
    City("Jaipur", "08", 302001, 302039, "0141",
         ("Malviya Nagar", "Vaishali Nagar", "Mansarovar", "Raja Park", "Bani Park")),
    City("Kochi", "32", 682001, 682041, "0484",
         ("Kakkanad", "Edappally", "Panampilly Nagar", "Vyttila", "Kaloor")),
    City("Coimbatore", "33", 641001, 641050, "0422",
         ("RS Puram", "Peelamedu", "Saibaba Colony", "Gandhipuram")),
    City("Lucknow", "09", 226001, 226031, "0522",
         ("Gomti Nagar", "Hazratganj", "Aliganj", "Indira Nagar")),
    City("Chandigarh", "04", 160001, 160036, "0172",
         ("Sector 17", "Sector 22", "Sector 35", "Sector 44")),
    City("Indore", "23", 452001, 452020, "0731",
         ("Vijay Nagar", "Palasia", "Rajendra Nagar", "Sudama Nagar")),
    City("Nagpur", "27", 440001, 440037, "0712",
         ("Dharampeth", "Sitabuldi", "Manish Nagar", "Sadar")),
    City("Bhubaneswar", "21", 751001, 751031, "0674",
         ("Saheed Nagar", "Patia", "Nayapalli", "Jayadev Vihar")),
    City("Noida", "09", 201301, 201318, "0120",
         ("Sector 18", "Sector 62", "Sector 137", "Sector 50")),
    City("Gurugram", "06", 122001, 122018, "0124",
         ("DLF Phase 3", "Sector 56", "Sushant Lok", "Palam Vihar")),
    City("Visakhapatnam", "37", 530001, 530053, "0891",
         ("MVP Colony", "Dwaraka Nagar", "Seethammadhara", "Gajuwaka")),
    City("Mysuru", "29", 570001, 570030, "0821",
         ("Vijayanagar", "Kuvempunagar", "Saraswathipuram", "Gokulam")),
)
# fmt: on
# Bigger cities appear more often, as they do in real customer files.
CITY_WEIGHTS = (14, 14, 10, 10, 8, 7, 9, 5, 4, 3, 3, 3, 2, 2, 2, 2, 3, 3, 2, 2)

SOCIETIES = (
    "Shanti",
    "Lotus",
    "Sai Krupa",
    "Green Park",
    "Sunrise",
    "Gokul",
    "Silver Oak",
    "Royal Palms",
    "Kaveri",
    "Ganga",
    "Brindavan",
    "Sapphire",
    "Orchid",
    "Nandanvan",
    "Shree Ganesh",
    "Sagar",
    "Vrindavan",
    "Anmol",
    "Palm Grove",
    "Emerald",
    "Navratna",
    "Sheetal",
)
BUILDING_TYPES = ("Apartments", "Residency", "Heights", "Enclave", "Towers")
LANDMARK_ROADS = (
    "MG Road",
    "Station Road",
    "Link Road",
    "Temple Street",
    "Church Street",
    "Nehru Marg",
    "Tilak Road",
    "Market Road",
    "Lake View Road",
    "Ring Road",
)
EMAIL_DOMAINS = (
    ("gmail.com", 10),
    ("yahoo.co.in", 3),
    ("outlook.com", 3),
    ("rediffmail.com", 2),
    ("hotmail.com", 1),
    ("icloud.com", 1),
)
EMAIL_DOMAINS_GB = (("gmail.com", 4), ("yahoo.co.uk", 2), ("btinternet.com", 1))
EMAIL_DOMAINS_US = (("gmail.com", 4), ("yahoo.com", 2), ("outlook.com", 1))

VENDOR_TRADES = (
    "Logistics",
    "Packaging",
    "Office Supplies",
    "Facility Services",
    "IT Solutions",
    "Printing Works",
    "Stationery",
    "Engineering",
    "Textiles",
    "Cold Chain",
    "Electricals",
    "Catering Services",
    "Security Services",
    "Travel Services",
    "Software",
    "Pharma Distributors",
    "Courier Services",
    "Housekeeping",
    "Networks",
    "Furniture",
)
# suffix -> PAN entity-type letter (4th character of a PAN)
INDIAN_VENDOR_SUFFIXES = (
    ("Pvt Ltd", "C"),
    ("Private Limited", "C"),
    ("LLP", "F"),
    ("Enterprises", "P"),
    ("Traders", "P"),
    ("& Sons", "F"),
    ("& Co", "F"),
    ("Industries", "C"),
)
GST_RATES = (5, 12, 18, 28)
GST_RATE_WEIGHTS = (3, 3, 10, 2)

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
