"""Property test of the ledger: whatever sequence of stock operations people attempt, valid ones keep every
balance at or above zero and equal to the sum of its ledger, and invalid ones are refused with nothing changed.

Hypothesis draws the sequences; a small model of the expected balances says which operation must succeed and
what each balance must then be, so the test checks the figures and not only that nothing crashed."""

import datetime as dt
import itertools
from dataclasses import dataclass

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from core.tests.factories import UserFactory
from inventory.ledger import (
    NegativeStock,
    balance_differences,
    lot_receive,
    movement_reverse,
    stock_adjust,
    stock_transfer,
    stock_write_off,
)
from inventory.models import StockBalance, StockLot, StockMovement
from inventory.tests.factories import ItemFactory, WarehouseFactory

REASONS = ["count", "found", "correction", "other", "damaged", "expired"]
pick = st.integers(min_value=0, max_value=1_000)  # an index into what exists when the operation runs

receive = st.tuples(st.just("receive"), st.integers(0, 1), st.integers(0, 1), st.integers(-2, 20), st.booleans())
operations = st.tuples(
    st.lists(receive, min_size=1, max_size=3),  # opening stock, so that the rest has lots to work on
    st.lists(
        st.one_of(
            receive,
            st.tuples(st.just("adjust"), pick, st.integers(-12, 12), st.sampled_from(REASONS)),
            st.tuples(st.just("write_off"), pick, st.integers(0, 12), st.sampled_from(["damaged", "expired"])),
            # One transfer in four names the lot's own warehouse, which must be refused.
            st.tuples(st.just("transfer"), pick, st.integers(0, 3).map(lambda n: n == 0), st.integers(0, 12)),
            st.tuples(st.just("reverse"), pick),
        ),
        min_size=1,
        max_size=20,
    ),
).map(lambda parts: parts[0] + parts[1])


@dataclass
class Posted:
    """What the model remembers of one movement."""

    pk: int
    lot_id: int
    quantity: int
    is_reversal: bool
    reversed: bool = False


class LedgerPropertyTest(TestCase):
    """Each example runs in its own rolled-back transaction (hypothesis's Django TestCase), so examples are
    independent."""

    @classmethod
    def setUpTestData(cls):
        cls.actor = UserFactory(username="keeper")
        cls.items = [ItemFactory(sku="RICE"), ItemFactory(sku="OIL")]
        cls.warehouses = [WarehouseFactory(code="central"), WarehouseFactory(code="north", name="Almacén norte")]

    def state(self) -> tuple:
        """Everything an operation could change: balances, movements, lots."""
        return (
            dict(StockBalance.objects.values_list("lot_id", "quantity")),
            StockMovement.objects.count(),
            StockLot.objects.count(),
        )

    # 30 random sequences each run (80 cost a minute of the suite); every CI run draws new ones.
    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(operations)
    def test_valid_operations_keep_the_ledger_balanced_and_invalid_ones_change_nothing(self, steps):
        expected: dict[int, int] = {}  # lot id -> units the model says it holds
        posted: list[Posted] = []
        codes = itertools.count(1)
        in_a_month = timezone.localdate() + dt.timedelta(days=30)

        for step in steps:
            lots = sorted(expected)
            kind = step[0]
            if kind != "receive" and not lots:
                continue
            before = self.state()
            last_movement = StockMovement.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            refusal: type[Exception] | None = None  # what the model says must happen

            if kind == "receive":
                _kind, item, warehouse, quantity, expires = step
                refusal = None if quantity > 0 else ValidationError

                def run(item=item, warehouse=warehouse, quantity=quantity, expires=expires):
                    lot_receive(
                        actor=self.actor,
                        item=self.items[item],
                        warehouse=self.warehouses[warehouse],
                        lot_code=f"L{next(codes)}",
                        quantity=quantity,
                        expiry_date=in_a_month if expires else None,
                    )

            elif kind == "adjust":
                _kind, index, quantity, reason = step
                lot = StockLot.objects.get(pk=lots[index % len(lots)])
                if quantity == 0:
                    refusal = ValidationError
                elif expected[lot.pk] + quantity < 0:
                    refusal = NegativeStock

                def run(lot=lot, quantity=quantity, reason=reason):
                    stock_adjust(actor=self.actor, lot=lot, quantity=quantity, reason=reason)

            elif kind == "write_off":
                _kind, index, quantity, reason = step
                lot = StockLot.objects.get(pk=lots[index % len(lots)])
                if quantity <= 0:
                    refusal = ValidationError
                elif quantity > expected[lot.pk]:
                    refusal = NegativeStock

                def run(lot=lot, quantity=quantity, reason=reason):
                    stock_write_off(actor=self.actor, lot=lot, quantity=quantity, reason=reason)

            elif kind == "transfer":
                _kind, index, same_warehouse, quantity = step
                lot = StockLot.objects.get(pk=lots[index % len(lots)])
                to = next(w for w in self.warehouses if (w.pk == lot.warehouse_id) == same_warehouse)
                if same_warehouse or quantity <= 0:
                    refusal = ValidationError
                elif quantity > expected[lot.pk]:
                    refusal = NegativeStock

                def run(lot=lot, to=to, quantity=quantity):
                    stock_transfer(actor=self.actor, lot=lot, to=to, quantity=quantity)

            else:  # reverse
                if not posted:
                    continue
                original = posted[step[1] % len(posted)]
                if original.is_reversal or original.reversed:
                    refusal = ValidationError
                elif expected[original.lot_id] - original.quantity < 0:
                    refusal = NegativeStock

                def run(original=original):
                    movement_reverse(actor=self.actor, movement=StockMovement.objects.get(pk=original.pk))

            event(f"{kind} {refusal.__name__ if refusal else 'posted'}")  # shown by --hypothesis-show-statistics
            if refusal is None:
                run()
                for movement in StockMovement.objects.filter(pk__gt=last_movement).order_by("pk"):
                    expected[movement.lot_id] = expected.get(movement.lot_id, 0) + movement.quantity
                    posted.append(
                        Posted(movement.pk, movement.lot_id, movement.quantity, movement.reverses_id is not None)
                    )
                if kind == "reverse":
                    original.reversed = True
            else:
                with pytest.raises(refusal):
                    run()
                assert self.state() == before, f"{step} was refused but changed something"

            balances = dict(StockBalance.objects.values_list("lot_id", "quantity"))
            assert balances == expected, f"after {step}"
            assert all(quantity >= 0 for quantity in balances.values()), f"after {step}"
            assert balance_differences() == [], f"after {step}"
