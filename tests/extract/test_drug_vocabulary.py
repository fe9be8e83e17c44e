"""A broad probe of the drugs and drug classes a case report in any specialty may name,
written for this test (names from common formularies and the WHO Model List's classes, not
from any report): each must be read as a drug given, a MedicationAdministration, in every
sentence frame a report gives a drug by. Names the drug dictionary lacks come from
``mappings/medications.tsv`` rows, brand and short-form aliases or the stems of
international names (:data:`fhirsvc.extract.drugs.INN_STEMS`)."""

import re

import pytest

from fhirsvc.extract import extract
from fhirsvc.model import MentionKind
from fhirsvc.terminology import Terminology

INTRO = "A 52-year-old woman was admitted with fever. "

#: Ingredients by their generic (international or British) names.
DRUGS = (
    'amoxicillin', 'ampicillin', 'piperacillin', 'flucloxacillin', 'nafcillin', 'oxacillin',
    'benzylpenicillin', 'cefazolin', 'cephalexin', 'cefuroxime', 'ceftriaxone', 'cefotaxime',
    'ceftazidime', 'cefepime', 'cefixime', 'ceftaroline', 'meropenem', 'imipenem', 'ertapenem',
    'aztreonam', 'vancomycin', 'teicoplanin', 'daptomycin', 'linezolid', 'tedizolid',
    'gentamicin', 'amikacin', 'tobramycin', 'streptomycin', 'azithromycin', 'clarithromycin',
    'erythromycin', 'clindamycin', 'doxycycline', 'minocycline', 'tigecycline', 'ciprofloxacin',
    'levofloxacin', 'moxifloxacin', 'metronidazole', 'trimethoprim-sulfamethoxazole',
    'co-trimoxazole', 'nitrofurantoin', 'fosfomycin', 'colistin', 'rifampicin', 'rifampin',
    'isoniazid', 'pyrazinamide', 'ethambutol', 'bedaquiline', 'delamanid', 'acyclovir',
    'valacyclovir', 'ganciclovir', 'valganciclovir', 'foscarnet', 'oseltamivir', 'remdesivir',
    'tenofovir', 'emtricitabine', 'lamivudine', 'zidovudine', 'dolutegravir', 'raltegravir',
    'efavirenz', 'ritonavir', 'lopinavir', 'sofosbuvir', 'ledipasvir', 'entecavir', 'ribavirin',
    'fluconazole', 'itraconazole', 'voriconazole', 'posaconazole', 'isavuconazole', 'caspofungin',
    'micafungin', 'anidulafungin', 'amphotericin', 'nystatin', 'terbinafine', 'flucytosine',
    'chloroquine', 'hydroxychloroquine', 'artesunate', 'artemether', 'mefloquine', 'primaquine',
    'quinine', 'atovaquone', 'albendazole', 'mebendazole', 'ivermectin', 'praziquantel',
    'pyrimethamine', 'heparin', 'enoxaparin', 'dalteparin', 'fondaparinux', 'warfarin',
    'apixaban', 'rivaroxaban', 'dabigatran', 'edoxaban', 'argatroban', 'bivalirudin', 'alteplase',
    'tenecteplase', 'streptokinase', 'aspirin', 'clopidogrel', 'ticagrelor', 'prasugrel',
    'dipyridamole', 'cilostazol', 'abciximab', 'eptifibatide', 'tirofiban', 'amlodipine',
    'nifedipine', 'diltiazem', 'verapamil', 'lisinopril', 'enalapril', 'ramipril', 'captopril',
    'perindopril', 'losartan', 'valsartan', 'candesartan', 'irbesartan', 'telmisartan',
    'metoprolol', 'atenolol', 'bisoprolol', 'carvedilol', 'propranolol', 'labetalol', 'esmolol',
    'nebivolol', 'hydralazine', 'clonidine', 'methyldopa', 'minoxidil', 'doxazosin', 'prazosin',
    'spironolactone', 'eplerenone', 'furosemide', 'bumetanide', 'torsemide',
    'hydrochlorothiazide', 'chlorthalidone', 'indapamide', 'acetazolamide', 'mannitol',
    'amiloride', 'atorvastatin', 'rosuvastatin', 'simvastatin', 'pravastatin', 'ezetimibe',
    'fenofibrate', 'gemfibrozil', 'nitroglycerin', 'isosorbide', 'digoxin', 'amiodarone',
    'sotalol', 'flecainide', 'propafenone', 'adenosine', 'lidocaine', 'ivabradine', 'sacubitril',
    'ranolazine', 'metformin', 'glibenclamide', 'gliclazide', 'glipizide', 'glimepiride',
    'pioglitazone', 'sitagliptin', 'linagliptin', 'empagliflozin', 'dapagliflozin',
    'canagliflozin', 'liraglutide', 'semaglutide', 'dulaglutide', 'exenatide', 'acarbose',
    'insulin', 'glargine', 'detemir', 'degludec', 'lispro', 'aspart', 'prednisone',
    'prednisolone', 'methylprednisolone', 'hydrocortisone', 'dexamethasone', 'betamethasone',
    'budesonide', 'fludrocortisone', 'triamcinolone', 'tacrolimus', 'cyclosporine', 'ciclosporin',
    'sirolimus', 'everolimus', 'mycophenolate', 'azathioprine', 'methotrexate',
    'cyclophosphamide', 'leflunomide', 'sulfasalazine', 'rituximab', 'infliximab', 'adalimumab',
    'etanercept', 'tocilizumab', 'secukinumab', 'ustekinumab', 'vedolizumab', 'omalizumab',
    'bevacizumab', 'trastuzumab', 'pembrolizumab', 'nivolumab', 'ipilimumab', 'atezolizumab',
    'durvalumab', 'cetuximab', 'denosumab', 'eculizumab', 'natalizumab', 'ocrelizumab',
    'dupilumab', 'anakinra', 'abatacept', 'basiliximab', 'belimumab', 'daratumumab', 'cisplatin',
    'carboplatin', 'oxaliplatin', 'doxorubicin', 'epirubicin', 'daunorubicin', 'idarubicin',
    'paclitaxel', 'docetaxel', 'vincristine', 'vinblastine', 'vinorelbine', 'etoposide',
    'irinotecan', 'topotecan', 'gemcitabine', 'capecitabine', 'fluorouracil', 'cytarabine',
    'fludarabine', 'bendamustine', 'ifosfamide', 'temozolomide', 'bleomycin', 'mitomycin',
    'hydroxyurea', 'azacitidine', 'decitabine', 'bortezomib', 'lenalidomide', 'thalidomide',
    'pomalidomide', 'imatinib', 'dasatinib', 'nilotinib', 'erlotinib', 'gefitinib', 'osimertinib',
    'afatinib', 'crizotinib', 'alectinib', 'sunitinib', 'sorafenib', 'pazopanib', 'lenvatinib',
    'cabozantinib', 'ibrutinib', 'ruxolitinib', 'tofacitinib', 'baricitinib', 'lapatinib',
    'palbociclib', 'olaparib', 'tamoxifen', 'letrozole', 'anastrozole', 'exemestane',
    'leuprolide', 'goserelin', 'bicalutamide', 'enzalutamide', 'abiraterone', 'levetiracetam',
    'phenytoin', 'fosphenytoin', 'valproate', 'carbamazepine', 'oxcarbazepine', 'lamotrigine',
    'topiramate', 'lacosamide', 'phenobarbital', 'clobazam', 'gabapentin', 'pregabalin',
    'haloperidol', 'olanzapine', 'quetiapine', 'risperidone', 'aripiprazole', 'clozapine',
    'chlorpromazine', 'lithium', 'sertraline', 'fluoxetine', 'paroxetine', 'citalopram',
    'escitalopram', 'venlafaxine', 'duloxetine', 'mirtazapine', 'bupropion', 'amitriptyline',
    'nortriptyline', 'trazodone', 'lorazepam', 'diazepam', 'midazolam', 'clonazepam',
    'alprazolam', 'zolpidem', 'morphine', 'oxycodone', 'hydromorphone', 'fentanyl', 'tramadol',
    'codeine', 'methadone', 'buprenorphine', 'naloxone', 'ketamine', 'ibuprofen', 'naproxen',
    'diclofenac', 'ketorolac', 'indomethacin', 'celecoxib', 'paracetamol', 'acetaminophen',
    'colchicine', 'allopurinol', 'febuxostat', 'propofol', 'etomidate', 'sevoflurane',
    'isoflurane', 'desflurane', 'rocuronium', 'succinylcholine', 'vecuronium', 'bupivacaine',
    'ropivacaine', 'dexmedetomidine', 'norepinephrine', 'epinephrine', 'dopamine', 'dobutamine',
    'vasopressin', 'phenylephrine', 'milrinone', 'ondansetron', 'metoclopramide', 'domperidone',
    'omeprazole', 'pantoprazole', 'esomeprazole', 'lansoprazole', 'ranitidine', 'famotidine',
    'sucralfate', 'loperamide', 'lactulose', 'mesalamine', 'ursodiol', 'salbutamol', 'albuterol',
    'ipratropium', 'tiotropium', 'formoterol', 'salmeterol', 'montelukast', 'theophylline',
    'levothyroxine', 'methimazole', 'carbimazole', 'propylthiouracil', 'octreotide',
    'cabergoline', 'bromocriptine', 'desmopressin', 'testosterone', 'estradiol', 'progesterone',
    'medroxyprogesterone', 'oxytocin', 'misoprostol', 'mifepristone', 'magnesium sulfate',
    'alendronate', 'zoledronic acid', 'pamidronate', 'calcitriol', 'cholecalciferol',
    'ergocalciferol', 'cinacalcet', 'thiamine', 'pyridoxine', 'cyanocobalamin', 'folic acid',
    'ascorbic acid', 'phytonadione', 'deferoxamine', 'deferasirox', 'penicillamine',
    'dimercaprol', 'N-acetylcysteine', 'acetylcysteine', 'atropine', 'glycopyrrolate',
    'neostigmine', 'pyridostigmine', 'flumazenil', 'physostigmine', 'fomepizole',
    'tranexamic acid', 'vitamin K', 'protamine', 'filgrastim', 'pegfilgrastim', 'erythropoietin',
    'epoetin', 'darbepoetin', 'interferon', 'peginterferon', 'hydroxyzine', 'diphenhydramine',
    'cetirizine', 'loratadine', 'promethazine', 'sildenafil', 'tadalafil', 'bosentan',
    'ambrisentan', 'epoprostenol', 'treprostinil', 'paricalcitol', 'alprostadil', 'polymyxin B',
    'digitoxin', 'carboprost', 'vidarabine', 'trifluridine', 'buserelin', 'insulin degludec',
    'poractant alfa', 'heliox', 'riboflavin', 'niacin', 'biotin', 'levocarnitine', 'coenzyme Q10',
    'ibandronic acid', 'udenafil', 'bilastine', 'triptorelin', 'conbercept', 'belatacept',
    'arformoterol', 'levalbuterol', 'indacaterol', 'vilanterol', 'silodosin', 'terazosin',
    'asenapine', 'droperidol', 'oxandrolone', 'meprednisone', 'lurasidone', 'secobarbital',
    'sufentanil', 'remifentanil', 'enflurane', 'repaglinide', 'bezafibrate', 'lanreotide',
    'carbetocin', 'etonogestrel', 'dutasteride', 'elacestrant', 'latanoprost', 'iloprost',
    'amodiaquine',
)
#: Brand names a report writes instead of the generic name.
BRANDS = (
    'Tylenol', 'Advil', 'Motrin', 'Lasix', 'Coumadin', 'Xarelto', 'Eliquis', 'Pradaxa', 'Plavix',
    'Brilinta', 'Lipitor', 'Crestor', 'Zocor', 'Norvasc', 'Keppra', 'Dilantin', 'Depakote',
    'Tegretol', 'Lamictal', 'Seroquel', 'Zyprexa', 'Risperdal', 'Abilify', 'Haldol', 'Zoloft',
    'Prozac', 'Lexapro', 'Effexor', 'Cymbalta', 'Wellbutrin', 'Xanax', 'Ativan', 'Valium',
    'Versed', 'Ambien', 'Dilaudid', 'Percocet', 'Vicodin', 'OxyContin', 'Neurontin', 'Lyrica',
    'Synthroid', 'Glucophage', 'Januvia', 'Jardiance', 'Ozempic', 'Lantus', 'Humalog', 'Novolog',
    'Solu-Medrol', 'Decadron', 'Medrol', 'Prograf', 'CellCept', 'Imuran', 'Humira', 'Remicade',
    'Enbrel', 'Rituxan', 'Herceptin', 'Avastin', 'Keytruda', 'Opdivo', 'Gleevec', 'Tarceva',
    'Zofran', 'Reglan', 'Protonix', 'Nexium', 'Prilosec', 'Augmentin', 'Zosyn', 'Rocephin',
    'Cipro', 'Levaquin', 'Flagyl', 'Bactrim', 'Zithromax', 'Diflucan', 'Valtrex', 'Tamiflu',
    'Benadryl', 'Lovenox', 'Toradol', 'Narcan', 'Ventolin', 'Singulair', 'Aldactone', 'Lopressor',
    'Toprol', 'Coreg', 'Zestril', 'Cozaar', 'Diovan', 'Cordarone', 'Lanoxin', 'Imdur', 'Flomax',
    'Proscar', 'Premarin', 'Depo-Provera',
)
#: Classes, groups and kinds of drugs, most in the plural a report gives them in.
CLASSES = (
    'antibiotics', 'antibiotic therapy', 'broad-spectrum antibiotics', 'intravenous antibiotics',
    'antivirals', 'antiviral therapy', 'antifungals', 'antifungal therapy',
    'antiretroviral therapy', 'antiretrovirals', 'anticoagulants', 'anticoagulation',
    'anticoagulant therapy', 'antiplatelet therapy', 'antiplatelets', 'dual antiplatelet therapy',
    'antihypertensives', 'antihypertensive medications', 'diuretics', 'loop diuretics',
    'thiazide diuretics', 'statins', 'statin therapy', 'beta-blockers', 'beta blockers',
    'ACE inhibitors', 'angiotensin receptor blockers', 'calcium channel blockers', 'nitrates',
    'insulin therapy', 'basal insulin', 'oral hypoglycemic agents', 'oral antidiabetic drugs',
    'sulfonylureas', 'corticosteroids', 'steroids', 'systemic steroids', 'glucocorticoids',
    'high-dose steroids', 'immunosuppressants', 'chemotherapy', 'systemic chemotherapy',
    'tyrosine kinase inhibitors', 'checkpoint inhibitors', 'immune checkpoint inhibitors',
    'anticonvulsants', 'antiepileptic drugs', 'antiepileptics', 'antipsychotics',
    'antidepressants', 'SSRIs', 'benzodiazepines', 'opioids', 'opioid analgesics', 'analgesics',
    'NSAIDs', 'nonsteroidal anti-inflammatory drugs', 'painkillers', 'anesthetics',
    'local anesthetics', 'vasopressors', 'inotropes', 'inotropic agents', 'catecholamines',
    'intravenous immunoglobulin', 'IVIG', 'vitamins', 'multivitamins', 'vitamin supplements',
    'iron supplements', 'calcium supplements', 'potassium supplements', 'electrolyte replacement',
    'antiemetics', 'proton pump inhibitors', 'PPIs', 'H2 blockers', 'laxatives',
    'bronchodilators', 'inhaled corticosteroids', 'antihistamines', 'antimalarials',
    'anthelmintics', 'antituberculous therapy', 'anti-tuberculosis drugs', 'bisphosphonates',
    'antiarrhythmics', 'sedatives', 'muscle relaxants', 'neuromuscular blockers', 'thrombolytics',
    'fibrinolytics', 'DOACs', 'direct oral anticoagulants', 'low-molecular-weight heparin',
    'unfractionated heparin', 'antithyroid drugs', 'crystalloids', 'colloids',
    'stress-dose steroids', 'pulse steroids', 'mood stabilizers', 'anxiolytics', 'antispasmodics',
    'antacids', 'probiotics', 'appetite stimulants', 'growth hormone',
    'disease-modifying antirheumatic drugs', 'DMARDs', 'antifibrinolytics', 'prokinetics',
    'L-thyroxine', 'L-asparaginase', 'D-penicillamine', 'α-interferon', 'all-trans retinoic acid',
    'aciclovir', 'amoxycillin', 'cefalexin', 'lignocaine', 'glyceryl trinitrate', 'co-amoxiclav',
    'thyroxine', 'oestrogen', 'sulphasalazine', 'cyclosporin', 'adrenaline', 'noradrenaline',
    'frusemide', 'β-lactam antibiotics', 'α-blockers', 'β2-agonists', 'beta-lactams',
    'carbapenems', 'glycopeptides', 'aminoglycosides', 'azoles', 'echinocandins', 'triazoles',
    'nitrofurans', 'sulfonamides', 'quinolones', 'macrolides', 'cephalosporins', 'penicillins',
    'tetracyclines', 'ARBs', 'loop diuretic', 'thiazides', 'SGLT2 inhibitors', 'DPP-4 inhibitors',
    'GLP-1 receptor agonists', 'anti-TNF agents', 'TNF-α inhibitors', 'JAK inhibitors',
    'mTOR inhibitors', 'calcineurin inhibitors', 'IL-6 inhibitors', 'antimetabolites',
    'alkylating agents', 'anthracyclines', 'taxanes', 'vinca alkaloids', 'aromatase inhibitors',
    'antiandrogens', 'GnRH agonists', 'somatostatin analogues', 'dopamine agonists', 'SNRIs',
    'tricyclic antidepressants', 'MAO inhibitors', 'atypical antipsychotics',
    'typical antipsychotics', 'neuroleptics', 'benzodiazepine', 'barbiturates', 'hypnotics',
    'psychostimulants', 'cholinesterase inhibitors', 'antiparkinsonian drugs', 'triptans',
    'antimigraine drugs', 'topical steroids', 'topical corticosteroids', 'inhaled steroids',
    'emollients', 'keratolytics', 'retinoids', 'oral retinoids', 'isotretinoin', 'antiseptics',
    'iron chelators', 'chelating agents', 'phosphate binders', 'potassium binders', 'uricosurics',
    'xanthine oxidase inhibitors', 'antigout drugs', 'anti-inflammatory drugs',
    'immunomodulators', 'antifibrotics', 'tocolytics', 'uterotonics', 'magnesium sulphate',
    'antenatal corticosteroids', 'antidotes', 'antivenom', 'activated charcoal', 'mucolytics',
    'expectorants', 'decongestants', 'antitussives', 'vitamin D analogues', 'calcimimetics',
    'erythropoiesis-stimulating agents', 'hematinics', 'B vitamins', 'vitamin B complex',
    'multivitamin', 'trace elements', 'contraceptives', 'oral contraceptive pills', 'progestins',
    'estrogens', 'anabolic steroids', 'glucose-lowering drugs',
    'antidiabetic medications', 'insulin analogues', 'vasodilators', 'inodilators',
    'antianginals', 'cardiac glycosides', 'anticholinergics', 'antimuscarinics', 'antihistamine',
    'H1 antihistamines', 'leukotriene antagonists', 'protease inhibitors', 'integrase inhibitors',
    'nucleoside analogues', 'antileprosy drugs', 'antiprotozoals', 'antiparasitic drugs',
    'scabicides', 'pediculicides', 'hepatoprotective drugs', 'liver protectors',
    'gastroprotective agents', 'acid-suppressive therapy', 'pharmacological treatment',
    'oral therapy', 'thromboprophylaxis', 'sleeping pills', 'lipid emulsion', 'artificial tears',
    'botulinum antitoxin', 'hepatitis B immunoglobulin', 'traditional Chinese medicine',
)
#: Frames a report gives one drug in.
DRUG_FRAMES = ("She was started on {x}.", "{X} 500 mg twice daily was given.")
#: More frames, tried with the brand names and a few drugs of each kind.
MORE_FRAMES = ("He was treated with intravenous {x}.",
               "Treatment with {x} was initiated and she improved.")
#: Frames a report gives a class of drugs in.
CLASS_FRAMES = ("He was treated with {x}.", "{X} were given and she improved.")
#: Words that end like a drug's stem, or name a hormone the patient has, or what drugs do.
NOT_DRUGS = ("Her cholesterol was high.", "The spine and the alpine chalet were described.",
             "He held the concept of an exception.", "Elevated androgens were found.",
             "The neuroprotective effect was discussed.", "She wore hip protectors.")


def _tokens(words: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", words.lower())


def _given(terminology: Terminology, sentence: str, name: str) -> bool:
    """Whether a drug given to the patient in ``sentence`` overlaps ``name`` and holds half
    its words or its last word (its head: "antibiotics" of "broad-spectrum antibiotics")."""
    text = INTRO + sentence
    start = text.lower().find(name.lower())
    end = start + len(name)
    words = _tokens(name)
    report = extract(text, "t", terminology)
    return any(m.kind is MentionKind.MEDICATION and m.span.start < end and m.span.end > start
               and not m.context.negated and m.context.is_patient_fact
               and (len(set(_tokens(m.text)) & set(words)) * 2 >= len(set(words))
                    or words[-1] in _tokens(m.text))
               for m in report.patients[0].mentions)


def _unread(terminology: Terminology, name: str, frames: tuple[str, ...]) -> list[str]:
    """The sentences of ``frames`` about ``name`` in which it is not read as given."""
    sentences = [frame.format(x=name, X=name[0].upper() + name[1:]) for frame in frames]
    return [s for s in sentences if not _given(terminology, s, name)]


@pytest.mark.parametrize("name", DRUGS)
def test_a_drug_named_generically_is_given(terminology: Terminology, name: str) -> None:
    assert _unread(terminology, name, DRUG_FRAMES) == []


@pytest.mark.parametrize("name", DRUGS[::10])
def test_a_drug_is_given_in_more_frames(terminology: Terminology, name: str) -> None:
    assert _unread(terminology, name, MORE_FRAMES) == []


@pytest.mark.parametrize("name", BRANDS)
def test_a_drug_named_by_its_brand_is_given(terminology: Terminology, name: str) -> None:
    assert _unread(terminology, name, DRUG_FRAMES[:1] + MORE_FRAMES[:1]) == []


@pytest.mark.parametrize("name", CLASSES)
def test_a_class_of_drugs_is_given(terminology: Terminology, name: str) -> None:
    assert _unread(terminology, name, CLASS_FRAMES) == []


@pytest.mark.parametrize("sentence", NOT_DRUGS)
def test_words_shaped_like_drugs_name_none(terminology: Terminology, sentence: str) -> None:
    report = extract(INTRO + sentence, "t", terminology)
    assert [m.text for m in report.patients[0].mentions if m.kind is MentionKind.MEDICATION] == []


def _drug_texts(terminology: Terminology, sentence: str) -> list[str]:
    report = extract(INTRO + sentence, "t", terminology)
    return [m.text for m in report.patients[0].mentions if m.kind is MentionKind.MEDICATION]


@pytest.mark.parametrize(("sentence", "drugs"), [
    ("She received analgesic drugs and morphine.", ["analgesic drugs", "morphine"]),
    ("She received anti-inflammatory and analgesic drugs.",
     ["anti-inflammatory", "analgesic drugs"]),
    ("He was treated with anti-tuberculous and antifungal drugs.",
     ["anti-tuberculous", "antifungal drugs"]),
    ("It has anti-inflammatory and antioxidant effects.", []),
    ("She was started on albumin.", ["albumin"]),
    ("She began treatment with testosterone.", ["testosterone"]),
])
def test_classes_and_substances_are_read_by_the_words_around(
        terminology: Terminology, sentence: str, drugs: list[str]) -> None:
    assert _drug_texts(terminology, sentence) == drugs
