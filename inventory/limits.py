"""The largest quantities a person or a caller may enter, one per kind of quantity, checked at every boundary.

Stock columns are 32-bit integers (at most 2,147,483,647). Without a bound, one typo or one hostile request
(+2,000,000,000 units) is saved and the next movement overflows the column: a 500 for everybody after it. The
bounds sit far above anything a food bank handles and far below the columns, so that even thousands of
maximal movements on one lot cannot reach an overflow.
"""

# One movement of goods typed by a person: a receipt or donation line, a purchase order line, an adjustment, a
# write-off, a transfer. A full 40-foot container of food is about 25,000 units; four of them on one line is
# already a mistake worth stopping.
MAX_UNITS_PER_MOVEMENT = 100_000

# What one lot may hold, and so what a count may find on its shelf: ten full-size movements. A count difference
# becomes one adjustment, so it stays within ±MAX_UNITS_PER_LOT as well.
MAX_UNITS_PER_LOT = 1_000_000

# Packs assembled in one go: a week of the largest delivery days, well within a team's work.
MAX_PACKS_PER_ASSEMBLY = 10_000

# Units of one item in one pack (a bill-of-materials line): a pack is carried by one person.
MAX_UNITS_PER_PACK_COMPONENT = 1_000

# Packs of one kind given to one household per delivery, as the approval form allows.
MAX_PACKS_PER_PLAN_LINE = 20
