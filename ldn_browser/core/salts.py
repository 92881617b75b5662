"""Salt words as written on labels: their own module, so that search reads them ("naltrexone hydrochloride" is the
drug's name) without importing the medication check's grammar and its regular expressions (~10 ms at start-up)."""

SALTS: dict[str, str] = {
    "hydrochloride": "hydrochloride", "hcl": "hydrochloride", "tartrate": "tartrate", "bitartrate": "bitartrate",
    "sulfate": "sulfate", "sulphate": "sulphate", "phosphate": "phosphate", "citrate": "citrate",
    "sodium": "sodium", "potassium": "potassium", "acetate": "acetate", "maleate": "maleate",
    "mesylate": "mesylate", "besylate": "besylate", "fumarate": "fumarate", "succinate": "succinate",
    "lactate": "lactate", "hydrobromide": "hydrobromide", "bromide": "bromide", "napsylate": "napsylate",
    "polistirex": "polistirex", "hemihydrate": "hemihydrate", "pentahydrate": "pentahydrate",
    "dihydrate": "dihydrate", "monohydrate": "monohydrate", "anhydrous": "anhydrous", "base": "base",
    "oxalate": "oxalate", "carbonate": "carbonate", "hyclate": "hyclate", "xinafoate": "xinafoate",
    "propionate": "propionate", "dipropionate": "dipropionate", "furoate": "furoate", "medoxomil": "medoxomil",
    "disoproxil": "disoproxil", "tosylate": "tosylate", "malate": "malate", "trihydrate": "trihydrate",
    "dihydrochloride": "dihydrochloride", "bit": "bitartrate",  # a pharmacy label's "HYDROCOD BIT/APAP"
    "mofetil": "mofetil",  # an ester, written as a salt is ("mycophenolate mofetil")
}  # fmt: skip
"""Salt words as written on labels (and "HCl")."""
