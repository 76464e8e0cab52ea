"""Ownership of a number is a lease in its wa_sessions row: claimed by one UPDATE, renewed, released, fenced."""

import random
from datetime import timedelta

import pytest
from sqlalchemy import update

from shared.models import WaMessageQueue, WaSession
from shared.timeutil import utcnow
from shared.wa import leases, outbox
from shared.wa.leases import Lease, LeaseLost
from shared.wa.sender import SenderLoop

A = Lease("host-a:1:aaaaaa", seconds=30)
B = Lease("host-b:2:bbbbbb", seconds=30)


@pytest.fixture
def wished(db, wa_session):
    wa_session.enabled = True
    db.flush()
    return wa_session


def expire(db, wa) -> None:
    """Make the current lease look a minute past its last renewal (a worker that stopped renewing)."""
    db.execute(update(WaSession).where(WaSession.id == wa.id).values(heartbeat_at=utcnow() - timedelta(minutes=1)))


def test_one_worker_at_a_time_holds_a_number(db, wished):
    assert leases.claim_session(db, wished.id, A)
    assert leases.claim_session(db, wished.id, A)  # claiming again is renewing
    assert not leases.claim_session(db, wished.id, B)
    assert leases.holds_lease(db, wished.id, A) and not leases.holds_lease(db, wished.id, B)
    assert leases.session_is_owned(db, wished.id)


def test_a_number_nobody_wishes_for_is_not_claimed(db, wa_session):
    assert not leases.claim_session(db, wa_session.id, A)


def test_an_expired_lease_is_taken_over_and_the_old_holder_learns_it_at_renewal(db, wished, make_user):
    other = outbox.get_or_create_session(db, make_user().id)
    other.enabled = True
    db.flush()
    assert leases.claim_session(db, wished.id, A) and leases.claim_session(db, other.id, A)
    expire(db, wished)
    assert not leases.holds_lease(db, wished.id, A)
    assert leases.claim_session(db, wished.id, B)
    # One statement renews all of A's numbers and answers which are still A's.
    assert leases.renew_leases(db, A, [wished.id, other.id]) == {other.id}


def test_an_expired_lease_nobody_took_is_renewed(db, wished):
    assert leases.claim_session(db, wished.id, A)
    expire(db, wished)
    assert leases.renew_leases(db, A, [wished.id]) == {wished.id}
    assert leases.holds_lease(db, wished.id, A)


def test_a_worker_releases_only_its_own_leases(db, wished):
    assert leases.claim_session(db, wished.id, B)
    assert leases.release_sessions(db, A) == 0
    assert leases.holds_lease(db, wished.id, B)
    assert leases.release_sessions(db, B, [wished.id]) == 1
    assert not leases.session_is_owned(db, wished.id)
    assert leases.claim_session(db, wished.id, A)  # free at once, no expiry to wait for


def test_a_worker_whose_lease_was_taken_cannot_claim_a_row(db, wished, clock):
    row = outbox.queue_direct(db, owner_id=wished.user_id, message_type="test", phone="6281234500001",
                              content="Tes")
    db.commit()
    assert leases.claim_session(db, wished.id, A)
    expire(db, wished)
    assert leases.claim_session(db, wished.id, B)
    db.commit()
    with pytest.raises(LeaseLost):
        outbox.claim_next(db, wished.id, clock(), paced_allowed=True, lease=A)
    db.rollback()  # what the sender's session does when the step ends
    assert db.get(WaMessageQueue, row.id, populate_existing=True).status == "pending"
    claimed = outbox.claim_next(db, wished.id, clock(), paced_allowed=True, lease=B)
    assert claimed is not None and claimed.id == row.id


def test_a_paused_sender_that_lost_its_number_sends_nothing(db, wished, session_factory, fake_client, clock):
    assert leases.claim_session(db, wished.id, A)
    db.commit()
    loop = SenderLoop(wished.id, wished.user_id, fake_client, session_factory=session_factory, clock=clock,
                      rng=random.Random(1), lease=A)
    loop.step()  # it held the lease: recovered, found nothing to send
    outbox.queue_direct(db, owner_id=wished.user_id, message_type="test", phone="6281234500001", content="Tes")
    expire(db, wished)  # the process was paused past its lease...
    assert leases.claim_session(db, wished.id, B)  # ...and another worker took the number
    db.commit()
    with pytest.raises(LeaseLost):
        loop.step()
    assert fake_client.sent == []


def test_a_sender_without_the_lease_does_not_fail_a_new_owners_rows_in_flight(db, wished, session_factory,
                                                                               fake_client, clock):
    assert leases.claim_session(db, wished.id, B)
    row = outbox.queue_direct(db, owner_id=wished.user_id, message_type="test", phone="6281234500001",
                              content="Tes")
    assert outbox.claim_next(db, wished.id, clock(), paced_allowed=True, lease=B).id == row.id  # B is sending it
    loop = SenderLoop(wished.id, wished.user_id, fake_client, session_factory=session_factory, clock=clock,
                      rng=random.Random(1), lease=A)
    with pytest.raises(LeaseLost):
        loop.step()
    assert db.get(WaMessageQueue, row.id, populate_existing=True).status == "sending"
