"""Curated dictionaries for clinical words in free text and table cells.

Kept deliberately common-case: generic and brand drug names, conditions in words, lab
tests, imaging modalities and body parts, procedures, payers, deceased phrases. Terms are
lower case; multi-word terms are matched as phrases.
"""

from __future__ import annotations

from typing import Final


def _terms(block: str) -> tuple[str, ...]:
    out: list[str] = []
    for line in block.strip().splitlines():
        for t in line.split(","):
            t = t.strip().lower()
            if t:
                out.append(t)
    return tuple(dict.fromkeys(out))


DRUGS: Final = _terms(
    """
    acetaminophen, tylenol, ibuprofen, advil, motrin, naproxen, aleve, aspirin, celecoxib, celebrex,
    meloxicam, diclofenac, indomethacin, ketorolac, toradol, tramadol, ultram, oxycodone, oxycontin,
    percocet, hydrocodone, vicodin, norco, morphine, hydromorphone, dilaudid, fentanyl, methadone,
    buprenorphine, suboxone, naloxone, narcan, naltrexone, codeine, tapentadol,
    lisinopril, zestril, prinivil, enalapril, ramipril, benazepril, quinapril, losartan, cozaar,
    valsartan, diovan, irbesartan, olmesartan, benicar, telmisartan, candesartan, amlodipine, norvasc,
    nifedipine, diltiazem, cardizem, verapamil, metoprolol, lopressor, toprol, atenolol, carvedilol,
    coreg, propranolol, bisoprolol, nebivolol, labetalol, hydrochlorothiazide, hctz, chlorthalidone,
    furosemide, lasix, bumetanide, torsemide, spironolactone, aldactone, eplerenone, clonidine,
    hydralazine, isosorbide, nitroglycerin, digoxin, amiodarone, sotalol, flecainide, dofetilide,
    sacubitril, entresto, ranolazine, ivabradine,
    atorvastatin, lipitor, simvastatin, zocor, rosuvastatin, crestor, pravastatin, lovastatin,
    pitavastatin, ezetimibe, zetia, fenofibrate, gemfibrozil, niacin, evolocumab, repatha, alirocumab,
    warfarin, coumadin, apixaban, eliquis, rivaroxaban, xarelto, dabigatran, pradaxa, edoxaban,
    heparin, enoxaparin, lovenox, clopidogrel, plavix, prasugrel, ticagrelor, brilinta, cilostazol,
    metformin, glucophage, glipizide, glyburide, glimepiride, pioglitazone, actos, sitagliptin,
    januvia, janumet, linagliptin, tradjenta, saxagliptin, empagliflozin, jardiance, dapagliflozin,
    farxiga, canagliflozin, invokana, liraglutide, victoza, saxenda, semaglutide, ozempic, wegovy,
    rybelsus, dulaglutide, trulicity, exenatide, tirzepatide, mounjaro, zepbound, insulin,
    insulin glargine, lantus, basaglar, toujeo, insulin lispro, humalog, insulin aspart, novolog,
    insulin detemir, levemir, degludec, tresiba, humulin, novolin,
    levothyroxine, synthroid, levoxyl, liothyronine, methimazole, propylthiouracil,
    prednisone, prednisolone, methylprednisolone, medrol, dexamethasone, hydrocortisone,
    fludrocortisone, budesonide, fluticasone, flonase, advair, symbicort, mometasone, beclomethasone,
    albuterol, proventil, ventolin, levalbuterol, ipratropium, atrovent, tiotropium, spiriva,
    salmeterol, formoterol, montelukast, singulair, theophylline, roflumilast, benralizumab, dupilumab,
    dupixent, omalizumab, xolair, mepolizumab,
    omeprazole, prilosec, esomeprazole, nexium, pantoprazole, protonix, lansoprazole, prevacid,
    rabeprazole, famotidine, pepcid, ranitidine, sucralfate, ondansetron, zofran, metoclopramide,
    reglan, promethazine, phenergan, prochlorperazine, docusate, senna, bisacodyl, polyethylene glycol,
    miralax, lactulose, loperamide, imodium, dicyclomine, mesalamine, sulfasalazine, linaclotide,
    amoxicillin, augmentin, amoxicillin-clavulanate, penicillin, ampicillin, dicloxacillin, cephalexin,
    keflex, cefdinir, cefuroxime, ceftriaxone, rocephin, cefazolin, cefepime, azithromycin, zithromax,
    z-pak, clarithromycin, erythromycin, doxycycline, minocycline, tetracycline, ciprofloxacin, cipro,
    levofloxacin, levaquin, moxifloxacin, sulfamethoxazole, trimethoprim, bactrim, nitrofurantoin,
    macrobid, metronidazole, flagyl, clindamycin, vancomycin, linezolid, daptomycin, gentamicin,
    tobramycin, piperacillin, zosyn, meropenem, imipenem, ertapenem, rifampin, isoniazid,
    fluconazole, diflucan, itraconazole, voriconazole, terbinafine, nystatin, clotrimazole,
    acyclovir, valacyclovir, valtrex, famciclovir, oseltamivir, tamiflu, paxlovid, nirmatrelvir,
    remdesivir, molnupiravir,
    biktarvy, descovy, truvada, genvoya, triumeq, dovato, tenofovir, emtricitabine, dolutegravir,
    bictegravir, efavirenz, raltegravir, darunavir, ritonavir, abacavir, lamivudine, zidovudine,
    sofosbuvir, harvoni, epclusa, mavyret, entecavir,
    sertraline, zoloft, fluoxetine, prozac, paroxetine, paxil, citalopram, celexa, escitalopram,
    lexapro, venlafaxine, effexor, desvenlafaxine, duloxetine, cymbalta, bupropion, wellbutrin,
    mirtazapine, remeron, trazodone, amitriptyline, nortriptyline, imipramine, doxepin, vortioxetine,
    trintellix, vilazodone, buspirone, buspar, hydroxyzine, alprazolam, xanax, lorazepam, ativan,
    clonazepam, klonopin, diazepam, valium, temazepam, zolpidem, ambien, eszopiclone, lunesta,
    melatonin, quetiapine, seroquel, olanzapine, zyprexa, risperidone, risperdal, aripiprazole,
    abilify, ziprasidone, lurasidone, latuda, paliperidone, invega, haloperidol, haldol, clozapine,
    clozaril, chlorpromazine, lithium, lamotrigine, lamictal, valproate, divalproex, depakote,
    carbamazepine, tegretol, oxcarbazepine, trileptal, topiramate, topamax, levetiracetam, keppra,
    phenytoin, dilantin, gabapentin, neurontin, pregabalin, lyrica, lacosamide, zonisamide,
    methylphenidate, ritalin, concerta, amphetamine, adderall, lisdexamfetamine, vyvanse,
    atomoxetine, strattera, guanfacine, modafinil, donepezil, aricept, memantine, namenda,
    rivastigmine, galantamine, carbidopa, levodopa, sinemet, pramipexole, ropinirole, rasagiline,
    sumatriptan, imitrex, rizatriptan, maxalt, topiramate, cyclobenzaprine, flexeril, baclofen,
    tizanidine, methocarbamol, carisoprodol, soma,
    alendronate, fosamax, risedronate, ibandronate, zoledronic acid, denosumab, prolia, raloxifene,
    calcitriol, ergocalciferol, cholecalciferol, allopurinol, febuxostat, colchicine, probenecid,
    methotrexate, hydroxychloroquine, plaquenil, leflunomide, adalimumab, humira, etanercept, enbrel,
    infliximab, remicade, certolizumab, golimumab, tocilizumab, abatacept, rituximab, rituxan,
    ustekinumab, stelara, secukinumab, cosentyx, ixekizumab, tofacitinib, xeljanz, upadacitinib,
    rinvoq, baricitinib, apremilast, otezla,
    tamoxifen, anastrozole, arimidex, letrozole, femara, exemestane, fulvestrant, trastuzumab,
    herceptin, pertuzumab, bevacizumab, avastin, pembrolizumab, keytruda, nivolumab, opdivo,
    atezolizumab, durvalumab, ipilimumab, cisplatin, carboplatin, oxaliplatin, paclitaxel, taxol,
    docetaxel, doxorubicin, cyclophosphamide, fluorouracil, capecitabine, xeloda, gemcitabine,
    irinotecan, etoposide, vincristine, imatinib, gleevec, ibrutinib, imbruvica, lenalidomide,
    revlimid, bortezomib, olaparib, palbociclib, ibrance, abiraterone, enzalutamide, leuprolide,
    lupron, bicalutamide,
    tamsulosin, flomax, finasteride, proscar, dutasteride, oxybutynin, tolterodine, solifenacin,
    mirabegron, myrbetriq, sildenafil, viagra, tadalafil, cialis, vardenafil,
    estradiol, premarin, medroxyprogesterone, depo-provera, progesterone, norethindrone,
    levonorgestrel, ethinyl estradiol, drospirenone, testosterone, clomiphene, letrozole,
    epoetin, procrit, darbepoetin, filgrastim, neupogen, pegfilgrastim, neulasta, ferrous sulfate,
    iron sucrose, cyanocobalamin, folic acid, potassium chloride, klor-con, magnesium oxide,
    sodium bicarbonate, sevelamer, renvela, calcium acetate, cinacalcet,
    latanoprost, xalatan, timolol, brimonidine, dorzolamide, cyclosporine, restasis,
    triamcinolone, clobetasol, betamethasone, tacrolimus, mupirocin, bacitracin, silver sulfadiazine,
    isotretinoin, tretinoin, adapalene, benzoyl peroxide,
    mycophenolate, cellcept, azathioprine, sirolimus, everolimus,
    epinephrine, epipen, diphenhydramine, benadryl, cetirizine, zyrtec, loratadine, claritin,
    fexofenadine, allegra, pseudoephedrine, guaifenesin, dextromethorphan, benzonatate,
    nicotine patch, varenicline, chantix, disulfiram, acamprosate,
    hepatitis b vaccine, influenza vaccine, pneumococcal vaccine, shingrix, tdap, mmr vaccine
    """
)

CONDITIONS: Final = _terms(
    """
    diabetes, diabetes mellitus, type 1 diabetes, type 2 diabetes, type ii diabetes, prediabetes,
    diabetic neuropathy, diabetic retinopathy, diabetic nephropathy, gestational diabetes,
    t2dm, t1dm, dm2, dmii, iddm, niddm, htn, hld, hfref, hfpef, osa, mdd, hcv, pvd, a-fib,
    hypertension, essential hypertension, high blood pressure, hypotension, hyperlipidemia,
    hypercholesterolemia, dyslipidemia, coronary artery disease, cad, atherosclerosis,
    myocardial infarction, heart attack, nstemi, stemi, angina, unstable angina, heart failure,
    congestive heart failure, chf, cardiomyopathy, atrial fibrillation, afib, atrial flutter,
    ventricular tachycardia, bradycardia, tachycardia, arrhythmia, heart murmur, aortic stenosis,
    mitral regurgitation, endocarditis, pericarditis, peripheral artery disease, peripheral vascular disease,
    deep vein thrombosis, dvt, pulmonary embolism, stroke, cerebrovascular accident, cva,
    transient ischemic attack, tia, aneurysm, aortic aneurysm,
    asthma, copd, chronic obstructive pulmonary disease, emphysema, chronic bronchitis,
    bronchitis, pneumonia, influenza, covid-19, covid, sars-cov-2, tuberculosis, sleep apnea,
    obstructive sleep apnea, pulmonary fibrosis, cystic fibrosis, lung cancer, respiratory failure,
    sinusitis, pharyngitis, strep throat, upper respiratory infection, otitis media,
    chronic kidney disease, ckd, end stage renal disease, esrd, acute kidney injury, renal failure,
    kidney stones, nephrolithiasis, urinary tract infection, uti, pyelonephritis, incontinence,
    benign prostatic hyperplasia, bph, prostate cancer, erectile dysfunction,
    gerd, gastroesophageal reflux disease, acid reflux, peptic ulcer, gastritis, crohn's disease,
    crohns disease, ulcerative colitis, inflammatory bowel disease, irritable bowel syndrome, ibs,
    celiac disease, diverticulitis, diverticulosis, pancreatitis, cholecystitis, gallstones,
    cirrhosis, fatty liver disease, nafld, hepatitis, hepatitis a, hepatitis b, hepatitis c,
    appendicitis, hernia, colon cancer, colorectal cancer, gastrointestinal bleed,
    colon polyp, colon polyps, colonic polyp, colonic polyps, benign neoplasm, radiculopathy,
    hypothyroidism, hyperthyroidism, hashimoto's thyroiditis, graves disease, thyroid cancer,
    obesity, morbid obesity, metabolic syndrome, osteoporosis, osteopenia, vitamin d deficiency,
    anemia, iron deficiency anemia, sickle cell disease, sickle cell anemia, thalassemia,
    hemophilia, thrombocytopenia, leukemia, lymphoma, hodgkin lymphoma, multiple myeloma,
    cancer, carcinoma, malignant neoplasm, breast cancer, ovarian cancer, cervical cancer,
    uterine cancer, endometrial cancer, pancreatic cancer, liver cancer, bladder cancer,
    kidney cancer, melanoma, skin cancer, basal cell carcinoma, squamous cell carcinoma,
    brain tumor, glioblastoma, metastatic, metastasis, sarcoma,
    depression, major depressive disorder, depressive disorder, anxiety, generalized anxiety disorder,
    anxiety disorder, panic disorder, bipolar disorder, bipolar, schizophrenia, schizoaffective disorder,
    ptsd, post-traumatic stress disorder, ocd, obsessive-compulsive disorder, adhd,
    attention deficit hyperactivity disorder, autism, autism spectrum disorder, eating disorder,
    anorexia nervosa, bulimia, insomnia, substance use disorder, alcohol use disorder,
    alcohol dependence, alcoholism, opioid use disorder, opioid dependence, drug abuse, addiction,
    suicidal ideation, suicide attempt, self-harm, psychosis, dementia, alzheimer's disease,
    alzheimers, alzheimer's, parkinson's disease, parkinsons, multiple sclerosis, epilepsy,
    seizure disorder, seizures, migraine, migraines, neuropathy, peripheral neuropathy,
    amyotrophic lateral sclerosis, als, cerebral palsy, traumatic brain injury, concussion,
    hiv, aids, hiv/aids, human immunodeficiency virus, syphilis, gonorrhea, chlamydia, herpes,
    genital herpes, hpv, human papillomavirus, sexually transmitted infection, std, sti,
    sepsis, cellulitis, mrsa, c. diff, clostridium difficile, shingles, herpes zoster, lyme disease,
    rheumatoid arthritis, osteoarthritis, arthritis, gout, lupus, systemic lupus erythematosus,
    psoriasis, psoriatic arthritis, ankylosing spondylitis, fibromyalgia, scleroderma,
    back pain, low back pain, chronic pain, sciatica, spinal stenosis, herniated disc,
    degenerative disc disease, scoliosis, fracture, hip fracture, carpal tunnel syndrome,
    rotator cuff tear, torn acl, tendonitis,
    eczema, atopic dermatitis, dermatitis, acne, rosacea, urticaria,
    glaucoma, cataract, cataracts, macular degeneration, diabetic macular edema, hearing loss,
    tinnitus, vertigo,
    pregnancy, pregnant, preeclampsia, miscarriage, infertility, endometriosis,
    polycystic ovary syndrome, pcos, menopause, abortion, ectopic pregnancy,
    allergic rhinitis, anaphylaxis, food allergy, peanut allergy,
    down syndrome, spina bifida, muscular dystrophy, developmental delay, intellectual disability,
    failure to thrive, malnutrition, dehydration, obesity in children,
    osteomyelitis, plantar fasciitis, hyperkalemia, hypokalemia, hyponatremia,
    end-stage renal disease, nephrotic syndrome, kidney failure, liver failure, fatty liver,
    gastroparesis, barrett's esophagus, dysphagia, aphasia, myasthenia gravis,
    restless legs syndrome, narcolepsy, sarcoidosis, pulmonary hypertension, conjunctivitis,
    pressure ulcer, pressure injury, decubitus ulcer, diabetic foot ulcer, lymphedema,
    tourette syndrome, opioid overdose, drug overdose, cocaine use disorder,
    stimulant use disorder, cannabis use disorder, clostridioides difficile,
    urinary incontinence, postpartum depression, vitamin b12 deficiency, hypoglycemia,
    cushing's syndrome, addison's disease, graves' disease, disc herniation,
    congenital heart disease, hypertrophic cardiomyopathy, heart block,
    acute respiratory distress syndrome, ards, respiratory syncytial virus, rsv, bronchiolitis,
    meningitis, encephalitis, hydrocephalus, trigeminal neuralgia, bell's palsy,
    essential tremor, huntington's disease, guillain-barre syndrome, interstitial cystitis,
    polymyalgia rheumatica, sjogren's syndrome, vasculitis, hidradenitis suppurativa,
    hypogonadism, hyperparathyroidism, adrenal insufficiency, hemochromatosis,
    von willebrand disease, neutropenia, myelodysplastic syndrome, mesothelioma,
    esophageal cancer, gastric cancer, stomach cancer, testicular cancer,
    head and neck cancer
    """
)

LAB_TESTS: Final = _terms(
    """
    hba1c, hemoglobin a1c, a1c, glucose, fasting glucose, blood glucose, blood sugar,
    cholesterol, total cholesterol, ldl, ldl cholesterol, hdl, hdl cholesterol, triglycerides,
    creatinine, bun, blood urea nitrogen, egfr, gfr, sodium, potassium, chloride, bicarbonate,
    co2, calcium, magnesium, phosphorus, albumin, total protein, bilirubin, total bilirubin,
    alt, ast, sgpt, sgot, alkaline phosphatase, alk phos, ggt, lipase, amylase,
    tsh, free t4, t4, t3, psa, prostate specific antigen, vitamin d, 25-oh vitamin d,
    vitamin b12, b12, folate, ferritin, iron, tibc, transferrin saturation,
    wbc, white blood cell count, white blood cells, rbc, red blood cell count, hemoglobin, hgb,
    hematocrit, hct, platelets, platelet count, plt, mcv, mch, mchc, rdw, neutrophils,
    lymphocytes, monocytes, eosinophils, inr, pt/inr, prothrombin time, ptt, aptt, d-dimer,
    troponin, troponin i, troponin t, bnp, nt-probnp, ck, cpk, ck-mb, crp, c-reactive protein,
    esr, sed rate, uric acid, lactate, lactic acid, ammonia, cortisol, a1c level,
    urine albumin, microalbumin, urine protein, urinalysis, urine culture, blood culture,
    viral load, hiv viral load, cd4, cd4 count, hepatitis c rna, hcv rna, hbsag,
    ca-125, cea, afp, beta hcg, hcg, estradiol, testosterone level, lh, fsh, prolactin,
    pao2, paco2, arterial blood gas, k, na, cl, hb, hco3, creat
    """
)
# Vital signs (blood pressure, pulse, weight, BMI, SpO2) are observations, not laboratory
# results, and are left out on purpose; every lab term also needs a numeric value after it.

IMAGING_MODALITIES: Final = _terms(
    """
    mri, magnetic resonance imaging, mra, ct, ct scan, cat scan, computed tomography, cta,
    x-ray, xray, x ray, radiograph, radiographs, ultrasound, sonogram, ultrasonography, doppler,
    echocardiogram, echo, transthoracic echocardiogram, tte, tee, mammogram, mammography,
    pet, pet scan, pet/ct, dexa, dexa scan, dxa, bone density scan, fluoroscopy,
    nuclear stress test, stress echo, angiogram, angiography, venogram, myelogram, arthrogram,
    barium swallow, barium enema, upper gi series, hida scan, bone scan, v/q scan
    """
)
IMAGING_SPECIFIC: Final = _terms(
    """
    mammogram, mammography, echocardiogram, transthoracic echocardiogram, dexa scan,
    bone density scan, ct scan, cat scan, pet scan, mri scan, chest x-ray, chest xray,
    chest radiograph, brain mri, head ct, abdominal ultrasound, pelvic ultrasound,
    renal ultrasound, carotid doppler, venous doppler, obstetric ultrasound, bone scan, hida scan
    """
)
BODY_PARTS: Final = _terms(
    """
    head, brain, skull, face, sinus, sinuses, orbit, neck, cervical spine, c-spine, thoracic spine,
    t-spine, lumbar spine, l-spine, spine, chest, thorax, lung, lungs, heart, cardiac, coronary,
    breast, breasts, abdomen, abdominal, pelvis, pelvic, liver, gallbladder, pancreas, kidney,
    kidneys, renal, bladder, prostate, uterus, ovary, ovaries, thyroid, carotid, aorta,
    shoulder, elbow, wrist, hand, finger, hip, knee, ankle, foot, toe, femur, tibia, humerus,
    extremity, upper extremity, lower extremity, leg, arm, joint, bone, bones, spine, venous,
    obstetric, fetal, scrotal, testicular, soft tissue, whole body
    """
)

PROCEDURES: Final = _terms(
    """
    colonoscopy, sigmoidoscopy, endoscopy, upper endoscopy, egd, esophagogastroduodenoscopy,
    bronchoscopy, cystoscopy, laparoscopy, arthroscopy, appendectomy, cholecystectomy,
    laparoscopic cholecystectomy, hysterectomy, oophorectomy, salpingectomy, tubal ligation,
    vasectomy, prostatectomy, nephrectomy, mastectomy, lumpectomy, thyroidectomy, tonsillectomy,
    adenoidectomy, splenectomy, colectomy, hemicolectomy, gastrectomy, gastric bypass,
    sleeve gastrectomy, bariatric surgery, hernia repair, inguinal hernia repair,
    cesarean section, c-section, cesarean delivery, vaginal delivery, dilation and curettage,
    d&c, cardiac catheterization, heart catheterization, angioplasty, stent placement,
    coronary stent, pci, cabg, coronary artery bypass, bypass surgery, valve replacement,
    pacemaker implantation, pacemaker insertion, defibrillator implantation, icd implantation,
    ablation, cardioversion, carotid endarterectomy, knee replacement, total knee arthroplasty,
    hip replacement, total hip arthroplasty, joint replacement, arthroplasty, spinal fusion,
    laminectomy, discectomy, rotator cuff repair, acl reconstruction, carpal tunnel release,
    open reduction internal fixation, orif, amputation, cataract surgery, cataract extraction,
    lasik, vitrectomy, biopsy, breast biopsy, prostate biopsy, bone marrow biopsy, skin biopsy,
    excision, incision and drainage, debridement, skin graft, dialysis, hemodialysis,
    peritoneal dialysis, chemotherapy, radiation therapy, radiotherapy, immunotherapy,
    blood transfusion, transfusion, kidney transplant, liver transplant, heart transplant,
    bone marrow transplant, stem cell transplant, intubation, mechanical ventilation,
    tracheostomy, central line placement, lumbar puncture, spinal tap, paracentesis,
    thoracentesis, epidural steroid injection, nerve block, joint injection,
    electroconvulsive therapy, ect, physical therapy, occupational therapy, speech therapy,
    circumcision, vaccination, immunization, sterilization, abortion procedure, ivf,
    in vitro fertilization, liposuction, rhinoplasty, septoplasty, sinus surgery,
    coronary angiography, ekg, ecg, electrocardiogram, eeg, emg, sleep study, polysomnography,
    stress test, holter monitor, pulmonary function test, spirometry, arthrocentesis,
    joint aspiration, cpap, continuous positive airway pressure, orthodontic treatment,
    comprehensive orthodontic treatment, root canal therapy, root canal treatment,
    tooth extraction, dental implant, scaling and root planing
    """
)

PAYERS: Final = _terms(
    """
    aetna, aetna better health, anthem, anthem blue cross, blue cross, blue shield, blue cross blue shield,
    bcbs, bluecross blueshield, cigna, humana, unitedhealthcare, united healthcare, uhc, optum,
    kaiser permanente, kaiser, molina, molina healthcare, centene, ambetter, wellcare, health net,
    healthnet, oscar health, highmark, carefirst, premera, regence, florida blue, independence blue cross,
    horizon blue cross, excellus, emblemhealth, emblem health, healthfirst, fidelis care,
    harvard pilgrim, tufts health plan, point32health, geisinger health plan, upmc health plan,
    priority health, medica, healthpartners, blue care network, bcbsm, caresource, amerigroup,
    amerihealth, amerihealth caritas, wellpoint, elevance, elevance health, magellan, beacon health,
    tricare, champva, medicare, medicare advantage, medicaid, medi-cal, masshealth, tenncare,
    ahcccs, chip, peachcare, soonercare, badgercare, healthy michigan plan, apple health,
    oregon health plan, medicare part a, medicare part b, medicare part d, original medicare,
    selecthealth, intermountain, scott and white health plan, baylor scott & white health plan,
    sentara, optima health, avmed, simply healthcare, sunshine health, superior healthplan,
    buckeye health plan, meridian health, iehp, la care, l.a. care, health plan of san joaquin,
    partnership healthplan, cal optima, calOptima, sharp health plan, western health advantage,
    capital blue cross, quartz, dean health plan, security health plan, bright health,
    clover health, devoted health, alignment health, scan health plan, cdphp, mvp health care,
    univera, blue cross of idaho, wellmark, arkansas blue cross, bluecross blueshield of tennessee,
    blue cross nc, premera blue cross, anthem blue cross blue shield, empire blue cross,
    """
)

DECEASED_PHRASES: Final = _terms(
    """
    deceased, expired on, patient expired, pt expired, date of death, time of death, passed away,
    died on, pronounced dead, pronounced deceased, death certificate, autopsy, date deceased,
    decedent, late patient, estate of, next of kin notified
    """
)
