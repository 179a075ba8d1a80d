package org.ternmq.broker.core;

import java.util.HashMap;
import java.util.Map;
import org.ternmq.message.Address;
import org.ternmq.protocol.ErrorCode;

/**
 * The temporary queues and topics, each owned by the connection that created it: only the owner may
 * consume from or delete it, and it goes when the owner closes. Anyone may send to it while it exists.
 *
 * <p>Owned by the agent thread.
 */
final class TemporaryDestinations {

    private final BrokerAgent agent;
    private final Map<String, MessageQueue> queues = new HashMap<>();
    private final Map<String, BrokerTopic> topics = new HashMap<>();
    /** Each temporary destination to the id of the connection that owns it. */
    private final Map<Address, String> owners = new HashMap<>();

    TemporaryDestinations(BrokerAgent agent) {
        this.agent = agent;
    }

    /** @param user the connection asking, checked to be the owner when it wants to consume */
    MessageQueue queue(Address address, BrokerConnection user, boolean forConsuming) throws BrokerException {
        MessageQueue q = queues.get(address.name());
        if (q == null) {
            throw new BrokerException(ErrorCode.INVALID_DESTINATION, "temporary queue " + address.name() + " does not exist");
        }
        checkOwner(address, user, forConsuming);
        return q;
    }

    BrokerTopic topic(Address address, BrokerConnection user, boolean forConsuming) throws BrokerException {
        BrokerTopic t = topics.get(address.name());
        if (t == null) {
            throw new BrokerException(ErrorCode.INVALID_DESTINATION, "temporary topic " + address.name() + " does not exist");
        }
        checkOwner(address, user, forConsuming);
        return t;
    }

    /** The temporary topic named, or null. */
    BrokerTopic existingTopic(String name) {
        return topics.get(name);
    }

    Iterable<MessageQueue> queues() {
        return queues.values();
    }

    private void checkOwner(Address address, BrokerConnection user, boolean forConsuming) throws BrokerException {
        if (forConsuming && !user.id().equals(owners.get(address))) {
            throw new BrokerException(ErrorCode.INVALID_DESTINATION,
                    address.name() + " is a temporary destination of another connection");
        }
    }

    void create(Address address, BrokerConnection owner) throws BrokerException {
        if (!address.kind().isTemporary()) {
            throw new BrokerException(ErrorCode.INVALID_DESTINATION, address + " is not temporary");
        }
        if (owners.containsKey(address)) {
            throw new BrokerException(ErrorCode.INVALID_DESTINATION, address + " already exists");
        }
        owners.put(address, owner.id());
        if (address.isQueue()) {
            queues.put(address.name(), agent.newQueue(address.name(), address, 0));
        } else {
            topics.put(address.name(), new BrokerTopic(address.name()));
        }
    }

    /** Deletes at the owner's request: refused while it has consumers. */
    void delete(Address address, BrokerConnection requester) throws BrokerException {
        String owner = owners.get(address);
        if (owner == null) {
            return;
        }
        if (!owner.equals(requester.id())) {
            throw new BrokerException(ErrorCode.ILLEGAL_STATE, address.name() + " belongs to another connection");
        }
        if (address.isQueue()) {
            if (!queues.get(address.name()).consumers().isEmpty()) {
                throw new BrokerException(ErrorCode.ILLEGAL_STATE, "temporary queue " + address.name() + " has consumers");
            }
        } else {
            for (Subscription s : topics.get(address.name()).subscriptions) {
                if (!s.queue.consumers().isEmpty()) {
                    throw new BrokerException(ErrorCode.ILLEGAL_STATE, "temporary topic " + address.name() + " has consumers");
                }
            }
        }
        owners.remove(address);
        drop(address);
    }

    /** The owner closed: its temporary destinations go, with their messages. */
    void ownerClosed(BrokerConnection owner) {
        owners.entrySet().removeIf(e -> {
            if (e.getValue().equals(owner.id())) {
                drop(e.getKey());
                return true;
            }
            return false;
        });
    }

    private void drop(Address address) {
        if (address.isQueue()) {
            MessageQueue q = queues.remove(address.name());
            if (q != null) {
                q.delete();
            }
        } else {
            BrokerTopic t = topics.remove(address.name());
            if (t != null) {
                for (Subscription s : t.subscriptions) {
                    s.queue.delete();
                }
                t.subscriptions.clear();
            }
        }
    }
}
