"""The transcription test: passages written for this course, not generated."""

from __future__ import annotations

from tools.keying_content.common import (
    TRANSCRIPTION_BANDS,
)
from tools.keying_content.writers import (
    HEADER,
    TomlDoc,
    write_common_keys,
)

TRANSCRIPTION_DESCRIPTION = """\
Retype the passage shown above the typing box. You get **one passage** per
attempt and **5 minutes**. The passages are the kind of email and case note a
back-office executive writes every day: payment queries, address changes,
escalations and handover notes.

* Type it as one paragraph: line breaks are not needed.
* Copy it exactly, including capitals, punctuation, amounts, dates and
  reference numbers. `INV-2026-004811` keyed as `INV-2026-004181` is an
  error even though the sentence still reads well.
* Backspace works. Errors you fix cost you time; errors you leave in reduce
  your net words per minute.

Your result shows net words per minute (a word is five keystrokes, and each
error left in the text is deducted) and character accuracy.
"""

PASSAGES: tuple[tuple[str, str], ...] = (
    (
        "Email to a vendor about a delayed payment",
        "Dear Mr Kulkarni, thank you for your email of 14 October about invoice "
        "INV-2026-004811 for INR 148,650.00. I have checked with our accounts "
        "payable team, and the payment was held because the purchase order number "
        "on the invoice, PO-318204, did not match the goods receipt note. The "
        "stores team has now corrected the receipt, and the invoice has been "
        "released for the payment run on 22 October. The amount should reach your "
        "account ending 4471 within two working days of that date. If it has not "
        "arrived by 25 October, please reply to this email quoting ticket AP-77215 "
        "and I will take it up with our treasury team myself. We are sorry for the "
        "delay. Regards, Ananya Iyer, Accounts Payable",
    ),
    (
        "Confirmation of a change of address",
        "Dear Ms Fernandes, this is to confirm that we have updated the "
        "correspondence address on your account CUS-583920, as requested in your "
        "letter dated 3 November 2026. Your new address is Flat 702, Silver Oak "
        "Residency, 14th Cross Road, HSR Layout, Bengaluru 560102. All statements, "
        "cheque books and notices issued after 10 November will be sent to this "
        "address. Your registered mobile number, +91 98450 31276, and your email "
        "address have not been changed. If you did not ask for this change, or if "
        "any part of the address above is wrong, please call our helpline on 1800 "
        "425 0192 within seven days and quote service request SR-2026-118734. Kind "
        "regards, Rohan Mehta, Customer Records Team",
    ),
    (
        "Escalation summary for a duplicate refund",
        "Escalation summary, case ESC-40917, raised on 18 September 2026. The "
        "customer, Mr Daniel Hughes, reported that a refund of USD 312.40 for order "
        "88-5512-0934 was credited to his card twice, on 9 and 12 September. Our "
        "records show two credits with different batch numbers, B7712 and B7790, "
        "which suggests the refund file was processed again after a system "
        "timeout. The customer agrees that the second credit can be reversed, "
        "provided he receives written notice at least three days before the debit. "
        "Action taken: reversal request sent to the payments team with both batch "
        "references; customer informed by email at 4:35 pm. Open point: payments "
        "must confirm whether any other refunds in batch B7790 were duplicated. "
        "Next review: 22 September. Owner: Priya Nair, Team Leader, Refunds.",
    ),
    (
        "Shift handover note",
        "Shift handover, evening to night shift, Tuesday 24 November 2026. "
        "Volumes: 412 invoices received, 376 keyed and verified, 36 pending. Of the "
        "pending items, 21 are waiting for purchase order numbers from the client, "
        "9 are unreadable scans that have gone back to the mailroom, and 6 are "
        "invoices above INR 500,000.00 that need second-level approval from Suresh "
        "before posting. The vendor master upload failed at 7:10 pm with error "
        "VM-203. The service desk ticket is INC-0094417 and they expect a fix by 11 "
        "pm, so please do not post invoices for new vendors until the upload is "
        "confirmed. Reminder: the daily accuracy report for the client is due at 9 "
        "am. Handed over by Kavya Reddy, received by Imran Sheikh.",
    ),
    (
        "Reminder to a customer about a returned EMI",
        "Dear Mr Sharma, we are writing about the EMI of INR 18,450.00 on loan "
        "account 004512398871. It was due on 5 November 2026 and your bank returned "
        "it unpaid because of insufficient funds. A return charge of INR 590.00, "
        "including GST, has been added to your loan account as set out in your "
        "agreement. To avoid further charges and any effect on your credit score, "
        "please pay the overdue amount by 15 November through net banking, UPI or "
        "at any of our branches. If you have already paid, please ignore this "
        "message and send us the transaction reference so that we can update our "
        "records. You can reach us on 022 6120 4455 between 9 am and 6 pm, Monday "
        "to Saturday. Regards, Collections Support Team",
    ),
    (
        "Case note on an insurance claim waiting for documents",
        "Case note for claim CLM-2026-55873, policy HL-7730914, entered on 2 "
        "December 2026 at 11:20 am. The claimant, Mrs Lakshmi Venkatesh, has sent "
        "the hospital bill for INR 86,240.00 and the discharge summary, but the "
        "pharmacy bills listed on page 3 of the claim form are missing. I called her "
        "on the registered number at 10:55 am. She said the bills are with the "
        "hospital billing desk and she will upload them on the portal by Friday, 4 "
        "December. I have put the claim on hold with reason code DOC-02 and set a "
        "follow-up task for 5 December. No payment should be released until the "
        "pharmacy bills are checked against the amount claimed. If they have not "
        "arrived by 9 December, send the standard reminder letter, template R-14.",
    ),
    (
        "Email to a team leader about a reconciliation break",
        "Hi Meera, while reconciling the October bank statement for the Chennai "
        "collections account I found three items that do not match the ledger. "
        "First, a receipt of INR 42,180.00 from Anand Textiles is in our ledger on "
        "17 October but reached the bank only on 3 November, so it is a timing "
        "difference. Second, the bank has debited INR 1,180.00 as cash handling "
        "charges, which we have not booked yet. Third, an NEFT credit of INR "
        "75,000.00 on 28 October has no customer reference, and I could not match "
        "it to any open invoice. I have parked it in the suspense account under "
        "journal JV-10293. Could you ask the client whether they are expecting a "
        "payment of this amount? I will close the reconciliation as soon as we "
        "know. Thanks, Arjun",
    ),
    (
        "Reply to the quality team about an audit finding",
        "Dear Quality Team, here is my response to audit observation QA-2026-0418 "
        "from the sample checked on 12 November. The auditor found that the GST "
        "amount on invoice INV-2026-007342 was keyed as INR 4,518.00 instead of INR "
        "4,158.00, a transposition of two digits. I have corrected the entry and "
        "the vendor payment of INR 27,258.00 was recalculated before release, so "
        "there was no financial impact. To prevent a repeat, I now read every "
        "amount back against the source image before saving, and the team has "
        "agreed to add a check that compares the GST amount with the rate and the "
        "taxable value. I would be grateful if the observation could be closed as "
        "corrected. The screenshots are saved in the shared audit folder. Regards, "
        "Farhan Qureshi, Senior Executive, Accounts Payable",
    ),
)


def transcription_toml(seed: int) -> str:
    doc = TomlDoc(HEADER.format(seed=seed))
    write_common_keys(
        doc,
        "transcription",
        "Email and case-note transcription",
        TRANSCRIPTION_DESCRIPTION,
        ["written-communication", "data-entry"],
        5,
    )
    doc.key("passages_per_attempt", 1)
    doc.table("bands", TRANSCRIPTION_BANDS)
    for title, text in PASSAGES:
        doc.array_table("passages", {"title": title, "text": text}, multiline=("text",))
    return doc.render()
