"""A realistic, deterministic sample of every export in the data contract, for demo and tests.

Volumes follow a ~200-FTE omgevingsdienst with 15 deelnemers over 2021-2025 (~1 M rows at
scale 1, most of them hour lines), by deelnemer size (Enschede largest), with seasonality
(fewer hours and inspections in the summer holidays, more odour and noise complaints in summer).
Realism that the pipelines must cope with is built in on purpose:
- PowerBrowser exports are yearly files; cases still open at year end are re-delivered, with
  their later state, in the next export (and in a January 2026 export);
- complaints and establishments come as Windows-1252 with CRLF (Excel on Dutch Windows), the
  rest as UTF-8, some with a BOM; HR files are Excel;
- ~0.1% defective rows (unknown deelnemer, impossible date, text in a number, LHSO code outside
  the matrix, negative or >24 hours) and a duplicate key, so quarantine has something to show.
Nothing here is special-cased in the pipelines: the generator writes the contract's layout only.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import numpy as np
import polars as pl
import xlsxwriter

from pipelines.settings import REFERENCE_DIR

YEARS = (2021, 2022, 2023, 2024, 2025)
# EUR of contribution per budgeted hour: chosen so the budgeted hours (~330 000 a year at
# scale 1) match the direct hours the generator books, as an uitvoeringsprogramma would.
HOURLY_RATE = 55
EXPORT_DAY = "1231"
LATE_EXPORT = dt.date(2026, 1, 31)  # the extra export that re-delivers rows of 2025

# Approximate RD New centre and postcode prefix of each deelnemer (for coordinates/postcodes).
PLACES = {
    "GM0141": ("Almelo", 236500, 488500, "760"),
    "GM0147": ("Borne", 246000, 480500, "762"),
    "GM1774": ("Denekamp", 263500, 491000, "759"),
    "GM0153": ("Enschede", 258000, 471500, "751"),
    "GM0158": ("Haaksbergen", 245500, 462500, "748"),
    "GM0163": ("Nijverdal", 231000, 486500, "744"),
    "GM0164": ("Hengelo", 250500, 475500, "755"),
    "GM1735": ("Goor", 232500, 470000, "747"),
    "GM0168": ("Losser", 266500, 479500, "758"),
    "GM0173": ("Oldenzaal", 259500, 485500, "757"),
    "GM1742": ("Rijssen", 224500, 478500, "746"),
    "GM0183": ("Tubbergen", 250500, 494500, "765"),
    "GM1700": ("Vroomshoop", 232000, 499500, "768"),
    "GM0189": ("Wierden", 232500, 489500, "764"),
    "PV23": ("Hengelo", 248000, 478000, "755"),
}
# Seasonality by month (index 0 = January).
WORK_SEASON = np.array([1.0, 1.05, 1.1, 1.05, 1.0, 0.95, 0.7, 0.65, 1.05, 1.1, 1.05, 0.8])
COMPLAINT_SEASON = np.array([0.7, 0.7, 0.9, 1.0, 1.2, 1.4, 1.5, 1.4, 1.1, 0.9, 0.8, 0.7])

BRANCHES = [
    ("10.71", "Voedingsmiddelenindustrie", "Bakkerij"),
    ("45.20", "Garages en autoschadeherstel", "Autobedrijf"),
    ("25.62", "Metaalbewerking", "Metaalbewerking"),
    ("56.10", "Horeca", "Café"),
    ("01.41", "Veehouderij", "Melkveebedrijf"),
    ("16.10", "Houtindustrie", "Houtbewerking"),
    ("38.32", "Afvalverwerking", "Recycling"),
    ("49.41", "Transport", "Transportbedrijf"),
    ("22.22", "Kunststofverwerking", "Kunststoffen"),
    ("13.20", "Textielindustrie", "Textielfabriek"),
    ("23.63", "Betonindustrie", "Betoncentrale"),
    ("18.12", "Drukkerijen", "Drukkerij"),
]
FAMILY = [
    "Nijhuis",
    "Ter Horst",
    "Oude Luttikhuis",
    "Brinkman",
    "Kampman",
    "Mensink",
    "Ten Dam",
    "Lansink",
    "Wennink",
    "Hölscher",
    "Hüsken",
    "Ülker",
    "Büter",
    "Scholten",
    "Ter Huurne",
    "Groot Nibbelink",
    "Pierik",
    "Kienhuis",
    "Velthuis",
    "Siemerink",
    "Ten Brinke",
    "Heijink",
]
STREETS = [
    "Hengelosestraat",
    "Oldenzaalsestraat",
    "Industrieweg",
    "Havenstraat",
    "Marktstraat",
    "Twentepoort",
    "Europalaan",
    "Kanaaldijk",
    "Esweg",
    "Dorpsstraat",
    "Bedrijvenpark",
]

ZAAKTYPEN = [  # zaaktype, product, taakveld, procedure, share, mean lead time in days
    (
        "Aanvraag beschikking regulier behandelen",
        "Omgevingsvergunning milieu regulier",
        "Vergunningverlening",
        "regulier",
        0.14,
        45,
    ),
    (
        "Aanvraag beschikking uitgebreid behandelen",
        "Omgevingsvergunning milieu uitgebreid",
        "Vergunningverlening",
        "uitgebreid",
        0.03,
        150,
    ),
    (
        "Melding activiteit behandelen",
        "Melding Besluit activiteiten leefomgeving",
        "Vergunningverlening",
        None,
        0.18,
        20,
    ),
    ("Controle uitvoeren", "Periodieke controle", "Toezicht", None, 0.30, 30),
    ("Controle uitvoeren", "Hercontrole", "Toezicht", None, 0.06, 20),
    ("Handhavingsbesluit nemen", "Handhavingstraject", "Handhaving", None, 0.06, 60),
    ("Handhavingsverzoek behandelen", "Verzoek om handhaving", "Handhaving", "regulier", 0.02, 50),
    ("Advies verstrekken", "Advies bodem", "Advies", None, 0.07, 25),
    ("Advies verstrekken", "Advies geluid", "Advies", None, 0.05, 25),
    ("Klacht behandelen", "Klachtafhandeling", "Klachten", None, 0.09, 12),
]
AARD = [
    "geluid",
    "geur",
    "stof",
    "licht",
    "trilling",
    "afval",
    "water",
    "bodem",
    "asbest",
    "lucht",
    "overig",
]
AARD_P = [0.35, 0.30, 0.08, 0.05, 0.04, 0.06, 0.02, 0.02, 0.03, 0.03, 0.02]
INSTRUMENTS = [
    "waarschuwing",
    "voornemen",
    "last_onder_dwangsom",
    "last_onder_bestuursdwang",
    "bestuurlijke_boete",
    "bsbm",
    "proces_verbaal",
    "strafbeschikking",
    "stillegging",
    "intrekking",
]
INSTRUMENTS_P = [0.35, 0.25, 0.17, 0.04, 0.03, 0.07, 0.04, 0.01, 0.02, 0.02]
TEAMS = {
    "Vergunningverlening": ["vergunningverlener", "juridisch adviseur", "teamleider"],
    "Toezicht": ["toezichthouder", "senior toezichthouder", "boa", "teamleider"],
    "Specialistisch advies": ["adviseur bodem", "adviseur geluid", "adviseur externe veiligheid"],
    "Bedrijfsvoering": [
        "financieel adviseur",
        "hr-adviseur",
        "informatieadviseur",
        "medewerker secretariaat",
    ],
    "Directie": ["directeur", "MT-lid"],
}


def maybe(keep: np.ndarray, values) -> list:
    """values where `keep`, else missing (numpy's where would make an object array)."""
    return [v if k else None for k, v in zip(keep.tolist(), list(values), strict=True)]


def deelnemers() -> list[dict]:
    with open(REFERENCE_DIR / "deelnemers.csv", encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter=";"))


class Generator:
    def __init__(self, scale: float, seed: int):
        self.scale = scale
        self.rng = np.random.default_rng(seed)
        rows = deelnemers()
        self.codes = np.array([r["code"] for r in rows])
        self.names = {r["code"]: r["naam"] for r in rows}
        weight = np.array([float(r["inwoners"]) if r["soort"] == "gemeente" else 0.0 for r in rows])
        weight = weight / weight.sum() * 0.88
        weight[[r["soort"] == "provincie" for r in rows]] = 0.12  # the province's own companies
        self.weight = weight / weight.sum()

    def spell(self, codes: pl.Expr) -> pl.Expr:
        """PowerBrowser shows the deelnemer in several spellings: code, name, "Gemeente X",
        upper case. All must be accepted, so the sample uses all of them."""
        names = {c: self.names[c] for c in self.codes}
        prefixed = {
            c: (n if n.startswith("Provincie") else f"Gemeente {n}") for c, n in names.items()
        }
        upper = {c: n.upper() for c, n in names.items()}
        variant = pl.int_range(pl.len()) % 5
        return (
            pl.when(variant == 0)
            .then(codes)
            .when(variant == 1)
            .then(codes.replace_strict(prefixed, return_dtype=pl.String))
            .when(variant == 2)
            .then(codes.replace_strict(upper, return_dtype=pl.String))
            .otherwise(codes.replace_strict(names, return_dtype=pl.String))
        )

    def pick(self, pools: dict[str, list], codes: np.ndarray) -> list:
        """One random element of pools[code] for every code."""
        draws = self.rng.random(codes.size)
        return [
            pools[c][int(d * len(pools[c]))]
            for c, d in zip(codes.tolist(), draws.tolist(), strict=True)
        ]

    def n(self, base: float) -> int:
        return max(1, int(round(base * self.scale)))

    def pick_deelnemers(self, size: int) -> np.ndarray:
        return self.rng.choice(self.codes, size=size, p=self.weight)

    def days(self, year: int, size: int, season: np.ndarray, weekdays_only=False) -> np.ndarray:
        start = np.datetime64(f"{year}-01-01")
        all_days = start + np.arange(366 if year % 4 == 0 else 365)
        months = all_days.astype("datetime64[M]").astype(int) % 12
        weight = season[months].astype(float)
        if weekdays_only:
            weekday = (all_days.astype("datetime64[D]").view("int64") - 4) % 7  # 0 = Monday
            weight = weight * (weekday < 5)
        return self.rng.choice(all_days, size=size, p=weight / weight.sum())

    def times(self, days: np.ndarray, first_hour=8, last_hour=17) -> np.ndarray:
        minutes = self.rng.integers(first_hour * 60, last_hour * 60, size=days.size)
        return (days.astype("datetime64[m]") + minutes.astype("timedelta64[m]")).astype(
            "datetime64[ms]"
        )

    def near(self, codes: np.ndarray, spread: float) -> tuple[np.ndarray, np.ndarray]:
        cx = np.array([PLACES[c][1] for c in codes], dtype=float)
        cy = np.array([PLACES[c][2] for c in codes], dtype=float)
        return (
            np.round(cx + self.rng.normal(0, spread, codes.size)),
            np.round(cy + self.rng.normal(0, spread, codes.size)),
        )

    # --- sources -------------------------------------------------------------------------------
    def inrichtingen(self) -> pl.DataFrame:
        n = max(self.n(11_000), 3 * self.codes.size)
        rng = self.rng
        codes = self.pick_deelnemers(n)
        codes[: 3 * self.codes.size] = np.repeat(self.codes, 3)  # every deelnemer has companies
        branch = rng.integers(0, len(BRANCHES), n)
        family = rng.integers(0, len(FAMILY), n)
        x, y = self.near(codes, 3500)
        start = np.datetime64("1975-01-01") + rng.integers(0, 49 * 365, n).astype("timedelta64[D]")
        ended = rng.random(n) < 0.06
        end = start + rng.integers(200, 9000, n).astype("timedelta64[D]")
        end = np.where(ended & (end < np.datetime64("2025-12-01")), end, np.datetime64("NaT"))
        typ = rng.choice(["A", "B", "C"], n, p=[0.30, 0.55, 0.15])
        typ = np.where(codes == "PV23", "C", typ)
        return pl.DataFrame(
            {
                "inrichting_id": [f"INR{i:06d}" for i in range(1, n + 1)],
                "naam": [
                    f"{BRANCHES[b][2]} {FAMILY[f]}" for b, f in zip(branch, family, strict=True)
                ],
                "straat": rng.choice(STREETS, n),
                "huisnummer": rng.integers(1, 250, n).astype(str),
                "postcode": [
                    f"{PLACES[c][3]}{d} {a}{b}"
                    for c, d, a, b in zip(
                        codes,
                        rng.integers(0, 10, n),
                        rng.choice(list("ABCDEGHJKLMNPRST"), n),
                        rng.choice(list("ABCDEGHJKLMNPRSTVWXZ"), n),
                        strict=True,
                    )
                ],
                "plaats": [PLACES[c][0] for c in codes],
                "sbi_code": [BRANCHES[b][0] for b in branch],
                "branche": [BRANCHES[b][1] for b in branch],
                "inrichtingstype": typ,
                "risicoklasse": rng.integers(1, 6, n),
                "x": x,
                "y": y,
                "datum_start": start.astype("datetime64[D]"),
                "datum_einde": end.astype("datetime64[D]"),
                "_code": codes,
            }
        ).with_columns(self.spell(pl.col("_code")).alias("bevoegd_gezag"))

    def zaken(self) -> pl.DataFrame:
        rng = self.rng
        frames = []
        shares = np.array([z[4] for z in ZAAKTYPEN])
        for year in YEARS:
            n = self.n(18_000 * (1 + 0.03 * (year - 2021)))
            kind = rng.choice(len(ZAAKTYPEN), n, p=shares / shares.sum())
            received = self.times(self.days(year, n, WORK_SEASON, weekdays_only=True))
            lead = np.array([ZAAKTYPEN[k][5] for k in kind]) * rng.gamma(2.0, 0.5, n)
            procedure = np.array([ZAAKTYPEN[k][3] or "" for k in kind])
            term = np.where(procedure == "uitgebreid", 26 * 7, 8 * 7)
            decided = received + (lead * 24 * 60).astype("timedelta64[m]")
            withdrawn = rng.random(n) < 0.02
            frames.append(
                pl.DataFrame(
                    {
                        "zaaknummer": [f"Z{year}-{i:06d}" for i in range(1, n + 1)],
                        "zaaktype": [ZAAKTYPEN[k][0] for k in kind],
                        "product": [ZAAKTYPEN[k][1] for k in kind],
                        "taakveld": [ZAAKTYPEN[k][2] for k in kind],
                        "taakpakket": rng.choice(
                            ["basistaak", "plustaak", "facultatief"], n, p=[0.55, 0.35, 0.10]
                        ),
                        "_code": self.pick_deelnemers(n),
                        "procedure": maybe(procedure != "", procedure),
                        "datum_ontvangst": received,
                        "_besluit": decided,
                        "uiterste_beslisdatum": np.where(
                            procedure != "",
                            (received.astype("datetime64[D]") + term.astype("timedelta64[D]")),
                            np.datetime64("NaT"),
                        ).astype("datetime64[D]"),
                        "opschorting_dagen": np.where(
                            rng.random(n) < 0.2, rng.integers(1, 42, n), 0
                        ),
                        "_ingetrokken": withdrawn,
                        "_resultaat": rng.choice(
                            ["verleend", "geweigerd", "afgerond", "buiten behandeling"],
                            n,
                            p=[0.55, 0.05, 0.37, 0.03],
                        ),
                    }
                )
            )
        zaken = pl.concat(frames)
        return zaken.with_columns(
            self.spell(pl.col("_code")).alias("bevoegd_gezag"),
            pl.col("opschorting_dagen").cast(pl.Int64),
        )

    def controles(self, inrichtingen: pl.DataFrame) -> pl.DataFrame:
        rng = self.rng
        by_code = inrichtingen.group_by("_code", maintain_order=True).agg("inrichting_id")
        pools = {
            c: ids.to_list()
            for c, ids in zip(by_code["_code"], by_code["inrichting_id"], strict=True)
        }
        frames = []
        soorten = [
            "periodiek",
            "hercontrole",
            "handhavingscontrole",
            "klachtcontrole",
            "themacontrole",
            "administratief",
        ]
        for year in YEARS:
            n = self.n(7_000)
            codes = self.pick_deelnemers(n)
            soort = rng.choice(soorten, n, p=[0.55, 0.12, 0.06, 0.10, 0.12, 0.05])
            # compliance: ~70% of periodic inspections find nothing, slowly improving
            clean_p = np.where(soort == "periodiek", 0.66 + 0.02 * (year - 2021), 0.5)
            clean = rng.random(n) < clean_p
            count = np.where(clean, 0, rng.poisson(0.8, n) + 1)
            gevolgen = rng.choice(list("ABCD"), n, p=[0.05, 0.25, 0.45, 0.25])
            gedrag = rng.choice(list("1234"), n, p=[0.5, 0.3, 0.15, 0.05])
            thema = rng.choice(
                ["energie", "asbest", "afval", "bodem", "ZZS", "overig"],
                n,
                p=[0.2, 0.1, 0.2, 0.15, 0.1, 0.25],
            )
            energie = (thema == "energie") & (count > 0)
            frames.append(
                pl.DataFrame(
                    {
                        "controle_id": [f"C{year}-{i:06d}" for i in range(1, n + 1)],
                        "zaaknummer": None,
                        "inrichting_id": self.pick(pools, codes),
                        "_code": codes,
                        "datum_controle": self.times(self.days(year, n, WORK_SEASON, True)),
                        "soort": soort,
                        "thema": thema,
                        "aantal_overtredingen": count,
                        "lhso_gevolgen": maybe(count > 0, gevolgen),
                        "lhso_gedrag": maybe(count > 0, gedrag),
                        "energiebesparing_kwh": np.where(
                            energie, np.round(rng.gamma(2, 15_000, n)), np.nan
                        ),
                        "energiebesparing_m3_gas": np.where(
                            energie, np.round(rng.gamma(2, 4_000, n)), np.nan
                        ),
                        "toezichthouder_id": [f"T{t:03d}" for t in rng.integers(1, 45, n)],
                    }
                )
            )
        return pl.concat(frames).with_columns(
            self.spell(pl.col("_code")).alias("bevoegd_gezag"),
            pl.col("energiebesparing_kwh", "energiebesparing_m3_gas").fill_nan(None),
        )

    def klachten(self, inrichtingen: pl.DataFrame) -> pl.DataFrame:
        rng = self.rng
        by_code = inrichtingen.group_by("_code", maintain_order=True).agg("inrichting_id", "x", "y")
        pools = {r["_code"]: r for r in by_code.iter_rows(named=True)}
        index_pools = {c: list(range(len(r["inrichting_id"]))) for c, r in pools.items()}
        # a pool of complainants; a few repeat complainants file ~4% of all complaints
        people = self.n(30_000)
        repeaters = 25
        home = self.pick_deelnemers(repeaters)  # a repeat complainant complains at home
        # ~3% of the establishments in each municipality draw half of the complaints with a
        # known source (a TOP-X list with something to show)
        hotspots = {c: idx[: max(1, len(idx) // 33)] for c, idx in index_pools.items()}
        frames = []
        for year in YEARS:
            n = self.n(4_000 * (1 + 0.04 * (year - 2021)))
            repeat = rng.random(n) < 0.04
            person = np.where(
                repeat, rng.integers(0, repeaters, n), rng.integers(repeaters, people, n)
            )
            codes = np.where(
                repeat, home[np.minimum(person, repeaters - 1)], self.pick_deelnemers(n)
            )
            with_source = rng.random(n) < 0.6
            idx = np.where(
                rng.random(n) < 0.5, self.pick(hotspots, codes), self.pick(index_pools, codes)
            ).tolist()
            src = [pools[c]["inrichting_id"][i] for c, i in zip(codes, idx, strict=True)]
            sx = np.array([pools[c]["x"][i] for c, i in zip(codes, idx, strict=True)])
            sy = np.array([pools[c]["y"][i] for c, i in zip(codes, idx, strict=True)])
            ox, oy = self.near(codes, 2500)
            x = np.where(with_source, np.round(sx + rng.normal(0, 300, n)), ox)
            y = np.where(with_source, np.round(sy + rng.normal(0, 300, n)), oy)
            reported = self.times(self.days(year, n, COMPLAINT_SEASON), 6, 23)
            handled = reported + (rng.gamma(1.5, 8, n) * 24 * 60).astype("timedelta64[m]")
            has_mail = rng.random(n) < 0.6
            has_phone = rng.random(n) < 0.7
            frames.append(
                pl.DataFrame(
                    {
                        "klacht_id": [f"K{year}-{i:05d}" for i in range(1, n + 1)],
                        "datum_melding": reported,
                        "_code": codes,
                        "aard": rng.choice(AARD, n, p=AARD_P),
                        "inrichting_id": maybe(with_source, src),
                        "x": x,
                        "y": y,
                        "melder_naam": [f"Melder {p} {FAMILY[p % len(FAMILY)]}" for p in person],
                        "melder_telefoon": maybe(
                            has_phone | repeat, [f"06-{10_000_000 + p * 7:08d}" for p in person]
                        ),
                        "melder_email": maybe(
                            has_mail | repeat, [f"melder{p}@voorbeeld.nl" for p in person]
                        ),
                        "melder_postcode": [
                            f"{PLACES[c][3]}{p % 10} AB" for c, p in zip(codes, person, strict=True)
                        ],
                        "omschrijving": rng.choice(
                            [
                                "Stankoverlast in de avond",
                                "Harde piepende geluiden; ook 's nachts",
                                "Stof op auto's en vensterbanken",
                                "Lawaai van laden en lossen\nvanaf 05:00",
                                "Fel licht van de reclamezuil",
                                "Trillingen in huis door vrachtverkeer",
                            ],
                            n,
                        ),
                        "datum_afgehandeld": handled,
                        "gegrond": rng.choice(["Ja", "Nee", "Onbekend"], n, p=[0.45, 0.4, 0.15]),
                    }
                )
            )
        return pl.concat(frames).with_columns(self.spell(pl.col("_code")).alias("bevoegd_gezag"))

    def handhaving(self, inrichtingen: pl.DataFrame) -> pl.DataFrame:
        rng = self.rng
        by_code = inrichtingen.group_by("_code", maintain_order=True).agg("inrichting_id")
        pools = {
            c: ids.to_list()
            for c, ids in zip(by_code["_code"], by_code["inrichting_id"], strict=True)
        }
        frames = []
        for year in YEARS:
            n = self.n(1_500)
            codes = self.pick_deelnemers(n)
            instrument = rng.choice(INSTRUMENTS, n, p=INSTRUMENTS_P)
            lod = instrument == "last_onder_dwangsom"
            amount = np.where(lod, rng.integers(5, 50, n) * 500.0, np.nan)
            forfeited = lod & (rng.random(n) < 0.3)
            verbeurd = np.where(forfeited, np.round(amount * rng.uniform(0.2, 1.0, n), 2), np.nan)
            collected = forfeited & (rng.random(n) < 0.5)  # invoking penalties is often not done
            frames.append(
                pl.DataFrame(
                    {
                        "besluit_id": [f"H{year}-{i:05d}" for i in range(1, n + 1)],
                        "zaaknummer": None,
                        "inrichting_id": self.pick(pools, codes),
                        "_code": codes,
                        "datum_besluit": self.times(self.days(year, n, WORK_SEASON, True)),
                        "instrument": instrument,
                        "lhso_gevolgen": rng.choice(list("ABCD"), n, p=[0.1, 0.35, 0.4, 0.15]),
                        "lhso_gedrag": rng.choice(list("1234"), n, p=[0.3, 0.35, 0.25, 0.1]),
                        "dwangsom_bedrag": amount,
                        "verbeurd_bedrag": verbeurd,
                        "ingevorderd_bedrag": np.where(collected, verbeurd, np.nan),
                    }
                )
            )
        return pl.concat(frames).with_columns(
            self.spell(pl.col("_code")).alias("bevoegd_gezag"),
            pl.col("dwangsom_bedrag", "verbeurd_bedrag", "ingevorderd_bedrag").fill_nan(None),
        )

    def staff(self) -> pl.DataFrame:
        """Everyone who worked here 2021-2025, with in/out dates and their characteristics."""
        rng = self.rng
        n = self.n(290)
        teams = list(TEAMS)
        team = rng.choice(teams, n, p=[0.25, 0.38, 0.17, 0.15, 0.05])
        start = np.datetime64("2005-01-01") + rng.integers(0, 20 * 365, n).astype("timedelta64[D]")
        leaves = rng.random(n) < 0.25
        end = start + rng.integers(365, 20 * 365, n).astype("timedelta64[D]")
        end = np.where(leaves & (end < np.datetime64("2025-12-31")), end, np.datetime64("NaT"))
        verband = rng.choice(
            ["vast", "tijdelijk", "inhuur", "detachering", "trainee", "stagiair"],
            n,
            p=[0.86, 0.05, 0.04, 0.01, 0.03, 0.01],  # 85,3% vast in the Plan van Aanpak Robuustheid
        )
        functie = [TEAMS[t][rng.integers(0, len(TEAMS[t]))] for t in team]
        return pl.DataFrame(
            {
                "medewerker_id": [f"M{i:04d}" for i in range(1, n + 1)],
                "naam": [f"Medewerker {i} {FAMILY[i % len(FAMILY)]}" for i in range(n)],
                "geboortedatum": (
                    np.datetime64("1960-01-01")
                    + rng.integers(0, 40 * 365, n).astype("timedelta64[D]")
                ).astype("datetime64[D]"),
                "functie": functie,
                "team": team,
                "fte": rng.choice([0.5, 0.6, 0.8, 0.9, 1.0], n, p=[0.05, 0.1, 0.2, 0.15, 0.5]),
                "dienstverband": verband,
                "datum_in": start.astype("datetime64[D]"),
                "datum_uit": end.astype("datetime64[D]"),
                "kwaliteitscriteria": np.where(
                    np.isin(verband, ["stagiair"]),
                    "n.v.t.",
                    rng.choice(
                        ["voldoet", "voldoet_deels", "voldoet_niet"], n, p=[0.87, 0.1, 0.03]
                    ),
                ),
                "boa": np.array(functie) == "boa",
            }
        )

    def medewerkers(self, staff: pl.DataFrame) -> dict[int, pl.DataFrame]:
        per_year = {}
        for year in YEARS:
            snapshots = []
            for month in range(1, 13):
                peil = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
                snapshots.append(
                    staff.filter(
                        (pl.col("datum_in") <= peil)
                        & (pl.col("datum_uit").is_null() | (pl.col("datum_uit") > peil))
                    ).with_columns(pl.lit(peil).alias("peildatum"))
                )
            per_year[year] = pl.concat(snapshots).select("peildatum", *staff.columns)
        return per_year

    def uren(self, staff: pl.DataFrame, zaken: pl.DataFrame) -> pl.DataFrame:
        rng = self.rng
        ids = staff["medewerker_id"].to_numpy()
        products = zaken["product"].unique().sort().to_list() + ["Overleg en afstemming"]
        indirect = ["Opleiding", "Teamoverleg", "Bedrijfsvoering", "Verlof en ziekte"]
        frames = []
        for year in YEARS:
            n = self.n(160_000)
            codes = self.pick_deelnemers(n)
            direct = rng.random(n) < 0.85
            product = np.where(direct, rng.choice(products, n), rng.choice(indirect, n))
            frames.append(
                pl.DataFrame(
                    {
                        "regel_id": [f"U{year}-{i:07d}" for i in range(1, n + 1)],
                        "medewerker_id": rng.choice(ids, n),
                        "datum": self.days(year, n, WORK_SEASON, weekdays_only=True),
                        "_code": maybe(direct, codes),
                        "product": product,
                        "taakpakket": rng.choice(
                            ["basistaak", "plustaak", "facultatief"], n, p=[0.55, 0.35, 0.10]
                        ),
                        "zaaknummer": None,
                        "uren": rng.choice(
                            [0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 6.0, 8.0],
                            n,
                            p=[0.1, 0.2, 0.15, 0.15, 0.1, 0.1, 0.1, 0.05, 0.05],
                        ),
                        "declarabel": direct,
                    }
                )
            )
        return pl.concat(frames).with_columns(self.spell(pl.col("_code")).alias("bevoegd_gezag"))

    def opleidingen(self, staff: pl.DataFrame) -> pl.DataFrame:
        rng = self.rng
        ids = staff["medewerker_id"].to_numpy()
        frames = []
        for year in YEARS:
            n = self.n(600)
            frames.append(
                pl.DataFrame(
                    {
                        "regel_id": [f"O{year}-{i:05d}" for i in range(1, n + 1)],
                        "medewerker_id": rng.choice(ids, n),
                        "datum": self.days(year, n, WORK_SEASON, True),
                        "omschrijving": rng.choice(
                            [
                                "Cursus Omgevingswet",
                                "BOA-herregistratie",
                                "Asbest DTA",
                                "Leergang toezicht",
                                "Excel voor gevorderden",
                            ],
                            n,
                        ),
                        # spending grows towards the 3% norm of the Plan van Aanpak Robuustheid
                        "kosten": np.round(rng.gamma(2, 340 * (1 + 0.12 * (year - 2021)), n), 2),
                        "uren": rng.choice([4.0, 8.0, 16.0, 24.0], n),
                    }
                )
            )
        return pl.concat(frames)

    def finance(self) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
        rng = self.rng
        begroting, realisatie, programma = [], [], []
        products = [z[1] for z in ZAAKTYPEN]
        shares = np.array([z[4] for z in ZAAKTYPEN])
        for year in YEARS:
            growth = 1 + 0.012 * (year - 2021)
            standard = 16_300_000 * growth  # basistaken + plustaken contributions
            for code, w in zip(self.codes, self.weight, strict=True):
                for pakket, share in (("basistaken", 0.52), ("plustaken", 0.48)):
                    amount = round(standard * w * share, 2)
                    begroting.append(
                        (
                            year,
                            None,
                            code,
                            pakket,
                            "bijdrage",
                            amount,
                            round(amount / HOURLY_RATE * self.scale),
                        )
                    )
                fac = round(1_450_000 * w * growth, 2)
                begroting.append(
                    (
                        year,
                        None,
                        code,
                        "facultatief",
                        "bijdrage",
                        fac,
                        round(fac / HOURLY_RATE * self.scale),
                    )
                )
                for prod, s in zip(products, shares, strict=True):
                    planned = int(round(18_000 * w * s * (1 + 0.03 * (year - 2021)) * self.scale))
                    programma.append((year, code, prod, planned, round(planned * 9.5, 1)))
            loonsom = 13_400_000 * growth
            posts = {
                "loonsom": loonsom,
                "opleiding": loonsom * (0.020 if year < 2025 else 0.026),
                # docs/kpis.md divides by the whole begroting (contributions and costs, ~34 M)
                "innovatie": 34_500_000 * growth * (0.005 if year < 2025 else 0.011),
                "inhuur": 900_000 * growth,
                "overig": 1_600_000 * growth,
            }
            for post, amount in posts.items():
                begroting.append((year, None, None, "organisatie", post, round(amount, 2), None))
            begroting.append(
                (year, None, None, "spuk", "bijdrage", round(460_000 * growth, 2), None)
            )
            for month in range(1, 13):
                for post, amount in posts.items():
                    real = amount / 12 * rng.normal(1.0, 0.05)
                    realisatie.append(
                        (year, month, None, "organisatie", post, round(real, 2), None)
                    )
        cols = ["jaar", "maand", "deelnemer", "taakpakket", "post", "bedrag", "uren"]
        orient = {"orient": "row", "schema": cols}
        return (
            pl.DataFrame(begroting, **orient),
            pl.DataFrame(realisatie, **orient),
            pl.DataFrame(
                programma,
                schema=["jaar", "deelnemer", "product", "gepland_aantal", "geplande_uren"],
                orient="row",
            ),
        )

    def formatie(self, staff: pl.DataFrame) -> pl.DataFrame:
        base = (
            staff.group_by("team", "functie")
            .agg(pl.col("fte").sum().alias("f"))
            .sort("team", "functie")
        )
        rows = []
        for year in YEARS:
            for team, functie, f in base.iter_rows():
                rows.append((year, team, functie, round(f * 0.82 * (1 + 0.01 * (year - 2021)), 1)))
        return pl.DataFrame(rows, schema=["jaar", "team", "functie", "formatie_fte"], orient="row")


# --- formatting in the contract's layout ------------------------------------------------------
def as_text(frame: pl.DataFrame, thousands: tuple[str, ...] = ()) -> pl.DataFrame:
    """Dutch text: dd-mm-jjjj dates, comma decimals, Ja/Nee booleans, empty for missing."""
    exprs = []
    for name, dtype in frame.schema.items():
        col = pl.col(name)
        if dtype == pl.Date:
            col = col.dt.strftime("%d-%m-%Y")
        elif dtype == pl.Datetime:
            col = col.dt.strftime("%d-%m-%Y %H:%M")
        elif dtype == pl.Boolean:
            col = pl.when(col).then(pl.lit("Ja")).when(~col).then(pl.lit("Nee"))
        elif dtype.is_float():
            if name in thousands:
                col = col.map_elements(_thousands, return_dtype=pl.String)
            else:
                col = (
                    pl.when(col == col.round())
                    .then(col.cast(pl.Int64).cast(pl.String))
                    .otherwise(col.round(2).cast(pl.String).str.replace(".", ",", literal=True))
                )
        else:
            col = col.cast(pl.String)
        exprs.append(col.alias(name))
    return frame.select(exprs)


def write_xlsx(frame: pl.DataFrame, path: Path, sheet: str) -> None:
    # A fixed creation time keeps the bytes identical per seed (xlsx stores it in docProps),
    # so loading a regenerated sample again is a no-op.
    with xlsxwriter.Workbook(path) as workbook:
        workbook.set_properties({"created": dt.datetime(2026, 1, 1)})
        frame.write_excel(workbook, worksheet=sheet)


def _thousands(value: float) -> str:
    return f"{value:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")


def write_csv(frame: pl.DataFrame, path: Path, encoding: str = "utf-8") -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    crlf = encoding == "cp1252"
    text = frame.write_csv(separator=";", line_terminator="\r\n" if crlf else "\n")
    data = text.encode("utf-8-sig" if encoding == "utf-8-sig" else encoding, errors="replace")
    path.write_bytes(data)
    return frame.height


def inject_defects(
    frame: pl.DataFrame, rng: np.random.Generator, defects: list[tuple]
) -> pl.DataFrame:
    """Overwrite a few cells with invalid values: [(column, bad value, count)]."""
    if frame.height == 0:
        return frame
    frame = frame.with_row_index("_i")
    for column, bad, count in defects:
        rows = rng.choice(frame.height, size=min(count, frame.height), replace=False)
        frame = frame.with_columns(
            pl.when(pl.col("_i").is_in(rows.tolist()))
            .then(pl.lit(bad))
            .otherwise(pl.col(column))
            .alias(column)
        )
    return frame.drop("_i")


def _defect_count(frame: pl.DataFrame) -> int:
    return max(1, frame.height // 4000)  # ~0.025% per defect kind, ~0.1% in all


def write_sample(out: Path, scale: float = 1.0, seed: int = 2026) -> dict[str, int]:
    g = Generator(scale, seed)
    rng = g.rng
    out = Path(out)
    pb, hr, fin = out / "powerbrowser", out / "hr", out / "financien"
    counts: dict[str, int] = {}

    def add(name: str, rows: int) -> None:
        counts[name] = counts.get(name, 0) + rows

    inrichtingen = g.inrichtingen()
    columns = [c for c in inrichtingen.columns if not c.startswith("_")]
    text = inject_defects(
        as_text(inrichtingen.select(columns)), rng, [("bevoegd_gezag", "Gemeente Zwolle", 3)]
    )
    add("inrichtingen", write_csv(text, pb / "inrichtingen_20251231.csv", "cp1252"))
    # a later export re-delivers ~2% of the establishments with a changed risk class
    changed = inrichtingen.sample(fraction=0.02, seed=seed).with_columns(
        (6 - pl.col("risicoklasse")).alias("risicoklasse")
    )
    add(
        "inrichtingen",
        write_csv(as_text(changed.select(columns)), pb / "inrichtingen_20260131.csv", "cp1252"),
    )

    zaken = g.zaken()
    add_zaken(zaken, pb, add, rng)

    for name, frame, defects, encoding in (
        (
            "controles",
            g.controles(inrichtingen),
            [
                ("lhso_gevolgen", "E", 2),
                ("datum_controle", "31-02-{y}", 2),
                ("aantal_overtredingen", "twee", 2),
            ],
            "utf-8",
        ),
        (
            "klachten",
            g.klachten(inrichtingen),
            [("bevoegd_gezag", "Zwolle", 2), ("datum_melding", "30-13-{y}", 2)],
            "cp1252",
        ),
        (
            "handhaving",
            g.handhaving(inrichtingen),
            [("verbeurd_bedrag", "onbekend", 2)],
            "utf-8-sig",
        ),
    ):
        date_col = {
            "controles": "datum_controle",
            "klachten": "datum_melding",
            "handhaving": "datum_besluit",
        }[name]
        columns = [c for c in frame.columns if not c.startswith("_")]
        for year in YEARS:
            part = frame.filter(pl.col(date_col).dt.year() == year).select(columns)
            text = as_text(part)
            text = inject_defects(
                text,
                rng,
                [(c, v.format(y=year), n * _defect_count(text) // 2 or 1) for c, v, n in defects],
            )
            if name == "klachten" and year == 2024:  # one complaint exported twice
                text = pl.concat([text, text.slice(10, 1)])
            add(name, write_csv(text, pb / f"{name}_{year}{EXPORT_DAY}.csv", encoding))

    staff = g.staff()
    uren = g.uren(staff, zaken)
    columns = [c for c in uren.columns if not c.startswith("_")]
    for year in YEARS:
        text = as_text(uren.filter(pl.col("datum").dt.year() == year).select(columns))
        k = _defect_count(text)
        text = inject_defects(
            text, rng, [("uren", "-2", k), ("uren", "25", k), ("uren", "twee", k)]
        )
        add(
            "uren",
            write_csv(
                text, pb / f"uren_{year}{EXPORT_DAY}.csv", "utf-8-sig" if year % 2 else "utf-8"
            ),
        )

    for year, frame in g.medewerkers(staff).items():
        path = hr / f"medewerkers_{year}{EXPORT_DAY}.xlsx"
        path.parent.mkdir(parents=True, exist_ok=True)
        write_xlsx(frame, path, "medewerkers")
        add("medewerkers", frame.height)
    formatie = g.formatie(staff)
    path = hr / "formatie_2021_2025.xlsx"
    write_xlsx(formatie, path, "formatie")
    add("formatie", formatie.height)
    add("opleidingen", write_csv(as_text(g.opleidingen(staff)), hr / "opleidingen_20251231.csv"))

    begroting, realisatie, programma = g.finance()
    add(
        "begroting",
        write_csv(
            as_text(begroting, thousands=("bedrag",)), fin / "begroting_2021_2025.csv", "cp1252"
        ),
    )
    add(
        "realisatie",
        write_csv(
            as_text(realisatie, thousands=("bedrag",)), fin / "realisatie_2021_2025.csv", "cp1252"
        ),
    )
    programma = programma.with_columns(
        pl.col("deelnemer").replace_strict(g.names, return_dtype=pl.String)
    )
    add("programma", write_csv(as_text(programma), fin / "programma_2021_2025.csv"))
    return counts


def add_zaken(zaken: pl.DataFrame, folder: Path, add, rng) -> None:
    """Yearly exports: the year's cases in their state at the export date, plus the previous
    year's cases that were still open then (re-delivered with their new state)."""
    columns = [
        "zaaknummer",
        "zaaktype",
        "product",
        "taakveld",
        "taakpakket",
        "bevoegd_gezag",
        "inrichting_id",
        "procedure",
        "datum_ontvangst",
        "datum_besluit",
        "uiterste_beslisdatum",
        "opschorting_dagen",
        "status",
        "resultaat",
    ]
    exports = [(y, dt.datetime(y, 12, 31, 23, 59)) for y in YEARS]
    exports.append((YEARS[-1] + 1, dt.datetime.combine(LATE_EXPORT, dt.time(23, 59))))
    for year, moment in exports:
        received_year = pl.col("datum_ontvangst").dt.year()
        part = zaken.filter(
            (received_year == year)
            | (
                (received_year == year - 1)
                & (pl.col("_besluit") > dt.datetime(year - 1, 12, 31, 23, 59))
            )
        )
        decided = pl.col("_besluit") <= moment
        part = part.with_columns(
            pl.when(pl.col("_ingetrokken"))
            .then(pl.lit("ingetrokken"))
            .when(decided)
            .then(pl.lit("afgesloten"))
            .otherwise(pl.lit("open"))
            .alias("status"),
            pl.when(decided & ~pl.col("_ingetrokken"))
            .then(pl.col("_besluit"))
            .alias("datum_besluit"),
            pl.when(decided & ~pl.col("_ingetrokken"))
            .then(pl.col("_resultaat"))
            .alias("resultaat"),
            pl.lit(None, dtype=pl.String).alias("inrichting_id"),
        ).select(columns)
        if part.height == 0:
            continue
        text = as_text(part)
        k = _defect_count(text)
        text = inject_defects(
            text,
            rng,
            [("bevoegd_gezag", "Gemeente Deventer", k), ("datum_ontvangst", "00-01-2023", k)],
        )
        stamp = f"{year}{EXPORT_DAY}" if year in YEARS else LATE_EXPORT.strftime("%Y%m%d")
        add("zaken", write_csv(text, folder / f"zaken_{stamp}.csv", "utf-8"))
