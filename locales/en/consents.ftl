## Personal-data consents (regulation 3.2)

consent-own = the pupil's own consent
consent-own-mark = {" "}(their own data)
consent-document = , document No. { $document }
consent-state-none = not recorded
consent-state = { $given ->
    [yes] given
   *[no] withdrawn
  } { $date }{ $document }

consent-class-title = <b>{ $class_name }: personal-data consents</b> (as of { $date })
consent-class-summary = Complete sets of consents: { $complete } of { $total } { $total ->
    [one] pupil
   *[other] pupils
  }.
consent-class-missing-title = <b>Missing</b>
consent-class-pupil = { $number }. { $name } — { $missing }
consent-missing-signer = { $who }: { $state }
consent-missing-no-parent = no parent recorded, nobody to sign
consent-class-hint = A pupil's card: the buttons below or /consent &lt;pupil id&gt;. To record a signed paper: /consent &lt;pupil id&gt; &lt;parent id | self&gt; given|withdrawn [date] [document no.].

consent-card-title = <b>Personal-data consents: { $name }</b> ({ $id }, { $class_name })
consent-card-parent = { $name } ({ $id })
consent-card-line = • { $who } — { $state }
consent-card-earlier = { "  " }earlier: { $states }
consent-card-no-parent = No parent of this pupil is recorded: add one in the import file (parents sheet), so that someone can sign.
consent-card-hint = To record with a date and document number: /consent { $id } &lt;parent id | self&gt; given|withdrawn [date] [document no.]. The buttons record today, without a number.

consent-button-pupil = No. { $number } { $name }
consent-button = { $given ->
    [yes] ✅ { $who }: given today
   *[no] ↩️ { $who }: withdrawn today
  }
consent-button-confirm = Record
consent-button-cancel = Cancel
consent-confirm = Record in the journal?
    Whose data: { $pupil }
    Signed by: { $signer }
    { $given ->
        [yes] Consent given
       *[no] Consent withdrawn
    } { $date }.
consent-cancelled = Cancelled, nothing recorded.

consent-recorded = Recorded: { $own ->
    [yes] { $pupil } — their own personal-data consent
   *[no] { $signer } — personal-data consent ({ $pupil })
  } { $given ->
    [yes] given
   *[no] withdrawn
  } { $date }{ $document }.
consent-unchanged = Already recorded: { $own ->
    [yes] { $pupil } — their own consent
   *[no] { $signer } — consent ({ $pupil })
  } { $given ->
    [yes] given
   *[no] withdrawn
  } { $date }{ $document }. Nothing changed.

consent-totals-title = <b>Personal-data consents, whole school</b> (as of { $date })
consent-totals-line = { $class_name }: complete sets { $complete } of { $total }; consents missing: { $missing }{ $withdrawn ->
    [0] {""}
   *[other] , withdrawn among them: { $withdrawn }
  }{ $no_parent ->
    [0] {""}
   *[other] ; with no parent recorded: { $no_parent }
  }
consent-totals-school = <b>Whole school</b>: complete sets { $complete } of { $total } ({ $percent } %); consents missing: { $missing }.
consent-totals-hint = Who is missing in a class: /class consents &lt;class&gt;.

consent-usage = To record a consent: /consent &lt;pupil id&gt; &lt;parent id | self&gt; given|withdrawn [date] [document no.], e.g. /consent s3 p4 given 01.09 15-PD. A pupil's card: /consent s3.
consent-usage-class = A class's consents: /class consents or /class consents 5А.
consent-class-teacher-only = Personal-data consents are recorded by the class teacher of the pupil's class (regulation 3.2). To read them: /class consents &lt;class&gt;, the whole school — /consents.
consent-unknown-parent = There is no parent with id { $id } in the journal. The pupil's parents and their ids: /consent { $pupil }.
consent-not-their-parent = { $parent } is not recorded as a parent of pupil { $id } ({ $pupil }). The pupil's parents and their ids: /consent { $id }.
consent-not-in-a-class = { $name } is not in any class now: consents are kept by the class teacher of the pupil's class.
consent-signer-gone = This person is no longer among the pupil's parents. Open the card again: /consent &lt;pupil id&gt;.
consent-document-too-long = The document number is too long: at most { $limit } { $limit ->
    [one] character
   *[other] characters
 }.
consent-refused-future = { $date } has not come yet: a consent is recorded on the day it is signed or later. Give the date on the paper.
consent-refused-age-unknown = The journal has no birth date for pupil { $id }: a pupil's own consent is recorded only from 14, and the age must be checked. Add the birth date in the import file (students sheet, birth_date column) or record a parent's consent.
consent-refused-too-young = On { $date } pupil { $id } is not yet 14: a parent signs for them. Record the parent's consent: /consent { $id } &lt;parent id&gt; given.
consent-refused-before-latest = A statement of { $latest } is already recorded for this person and pupil { $id }: statements go in the order of their dates, so a new one cannot be earlier. Give { $latest } or a later date.
consent-refused-nothing-to-withdraw = Nothing to withdraw: this person's consent for pupil { $id } is not recorded or already withdrawn. If it was given, record that first: … given &lt;date&gt;.
