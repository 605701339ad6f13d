package dev.drover.platform.security.identity.wire;

import dev.drover.platform.avro.AvroCodec;
import dev.drover.platform.avro.AvroCodecException;
import dev.drover.platform.security.Grant;
import dev.drover.platform.security.Role;
import dev.drover.platform.security.identity.AccountKind;
import dev.drover.platform.security.identity.IdentityCommand;
import dev.drover.platform.security.identity.IdentityEvent;
import dev.drover.schemas.identity.command.CreateAccount;
import dev.drover.schemas.identity.command.DeleteSecret;
import dev.drover.schemas.identity.command.DisableAccount;
import dev.drover.schemas.identity.command.GrantRole;
import dev.drover.schemas.identity.command.IdentityCommandEnvelope;
import dev.drover.schemas.identity.command.IssueToken;
import dev.drover.schemas.identity.command.RevokeRole;
import dev.drover.schemas.identity.command.RevokeToken;
import dev.drover.schemas.identity.command.SetPassword;
import dev.drover.schemas.identity.command.SetSecret;
import dev.drover.schemas.identity.event.AccountCreated;
import dev.drover.schemas.identity.event.AccountDisabled;
import dev.drover.schemas.identity.event.IdentityCommandRejected;
import dev.drover.schemas.identity.event.IdentityEventEnvelope;
import dev.drover.schemas.identity.event.PasswordSet;
import dev.drover.schemas.identity.event.RoleGranted;
import dev.drover.schemas.identity.event.RoleRevoked;
import dev.drover.schemas.identity.event.SecretDeleted;
import dev.drover.schemas.identity.event.SecretSet;
import dev.drover.schemas.identity.event.TokenIssued;
import dev.drover.schemas.identity.event.TokenRevoked;
import org.apache.avro.AvroRuntimeException;

import java.time.Instant;

/**
 * The bytes of the identity topics: commands on {@code drover.identity.commands}, events on
 * {@code drover.identity.events} (Avro {@code IdentityCommandEnvelope} and {@code IdentityEventEnvelope} of module
 * {@code schemas}). Every record has the key {@link #KEY}: identities are one aggregate on one partition.
 *
 * <p>Every decoding failure is an {@link IllegalArgumentException} saying what could not be read, so a consumer can
 * dead-letter or quarantine the record with that reason. Thread-safe.
 */
public final class IdentityCodec {
    /** The Kafka key of every identity record. */
    public static final String KEY = "identities";

    private final AvroCodec<IdentityCommandEnvelope> commands = new AvroCodec<>(IdentityCommandEnvelope.class);
    private final AvroCodec<IdentityEventEnvelope> events = new AvroCodec<>(IdentityEventEnvelope.class);

    /** A command as it travels: the command, when it was sent, and the wider story it belongs to (or null). */
    public record CommandRecord(IdentityCommand command, Instant issuedAt, String correlationId) {
    }

    /** An event as it is stored: the event, its id, the command it came from, its place among that command's. */
    public record EventRecord(String eventId, Instant at, String causationId, String correlationId, int index,
                              int count, IdentityEvent event) {
    }

    public byte[] encodeCommand(CommandRecord record) {
        IdentityCommand c = record.command();
        Object payload;
        if (c instanceof IdentityCommand.CreateAccount x) {
            payload = new CreateAccount(x.name(), x.kind().name(), x.passwordHash(), x.by());
        } else if (c instanceof IdentityCommand.SetPassword x) {
            payload = new SetPassword(x.account(), x.passwordHash(), x.by());
        } else if (c instanceof IdentityCommand.GrantRole x) {
            payload = new GrantRole(x.account(), commandGrant(x.grant()), x.by());
        } else if (c instanceof IdentityCommand.RevokeRole x) {
            payload = new RevokeRole(x.account(), commandGrant(x.grant()), x.by());
        } else if (c instanceof IdentityCommand.IssueToken x) {
            payload = new IssueToken(x.tokenId(), x.account(), x.secretHash(), x.expiresAt(),
                    x.description() == null ? "" : x.description(), x.by());
        } else if (c instanceof IdentityCommand.RevokeToken x) {
            payload = new RevokeToken(x.tokenId(), x.by());
        } else if (c instanceof IdentityCommand.DisableAccount x) {
            payload = new DisableAccount(x.account(), x.by());
        } else if (c instanceof IdentityCommand.SetSecret x) {
            payload = new SetSecret(x.name(), x.keyId(), x.sealed(), x.by());
        } else if (c instanceof IdentityCommand.DeleteSecret x) {
            payload = new DeleteSecret(x.name(), x.by());
        } else {
            throw new IllegalArgumentException("no wire form for " + c.getClass().getSimpleName());
        }
        try {
            return commands.encode(IdentityCommandEnvelope.newBuilder().setCommandId(c.commandId())
                    .setIssuedAt(record.issuedAt()).setCorrelationId(record.correlationId()).setKey(KEY)
                    .setPayload(payload).build());
        } catch (AvroCodecException | AvroRuntimeException e) {
            throw new IllegalArgumentException("could not encode identity command " + c.commandId() + " ("
                    + c.getClass().getSimpleName() + "): " + e.getMessage(), e);
        }
    }

    public CommandRecord decodeCommand(byte[] bytes) {
        IdentityCommandEnvelope env;
        try {
            env = commands.decode(bytes);
        } catch (AvroCodecException e) {
            throw new IllegalArgumentException("could not read an identity command envelope from "
                    + (bytes == null ? "null" : bytes.length + " bytes") + ": " + e.getMessage(), e);
        }
        String id = env.getCommandId();
        Object p = env.getPayload();
        IdentityCommand command;
        if (p instanceof CreateAccount x) {
            command = new IdentityCommand.CreateAccount(id, x.getName(), kind(x.getKind()), x.getPasswordHash(),
                    x.getBy());
        } else if (p instanceof SetPassword x) {
            command = new IdentityCommand.SetPassword(id, x.getAccount(), x.getPasswordHash(), x.getBy());
        } else if (p instanceof GrantRole x) {
            command = new IdentityCommand.GrantRole(id, x.getAccount(),
                    grant(x.getGrant().getRole(), x.getGrant().getScope()), x.getBy());
        } else if (p instanceof RevokeRole x) {
            command = new IdentityCommand.RevokeRole(id, x.getAccount(),
                    grant(x.getGrant().getRole(), x.getGrant().getScope()), x.getBy());
        } else if (p instanceof IssueToken x) {
            command = new IdentityCommand.IssueToken(id, x.getTokenId(), x.getAccount(), x.getSecretHash(),
                    x.getExpiresAt(), x.getDescription(), x.getBy());
        } else if (p instanceof RevokeToken x) {
            command = new IdentityCommand.RevokeToken(id, x.getTokenId(), x.getBy());
        } else if (p instanceof DisableAccount x) {
            command = new IdentityCommand.DisableAccount(id, x.getAccount(), x.getBy());
        } else if (p instanceof SetSecret x) {
            command = new IdentityCommand.SetSecret(id, x.getName(), x.getKeyId(), x.getSealed(), x.getBy());
        } else if (p instanceof DeleteSecret x) {
            command = new IdentityCommand.DeleteSecret(id, x.getName(), x.getBy());
        } else {
            throw new IllegalArgumentException("identity command " + id + " has an unknown payload");
        }
        return new CommandRecord(command, env.getIssuedAt(), env.getCorrelationId());
    }

    public byte[] encodeEvent(EventRecord record) {
        IdentityEvent e = record.event();
        Object payload;
        if (e instanceof IdentityEvent.AccountCreated x) {
            payload = new AccountCreated(x.name(), x.kind().name(), x.passwordHash(), x.by(), x.at());
        } else if (e instanceof IdentityEvent.PasswordSet x) {
            payload = new PasswordSet(x.account(), x.passwordHash(), x.by(), x.at());
        } else if (e instanceof IdentityEvent.RoleGranted x) {
            payload = new RoleGranted(x.account(), eventGrant(x.grant()), x.by(), x.at());
        } else if (e instanceof IdentityEvent.RoleRevoked x) {
            payload = new RoleRevoked(x.account(), eventGrant(x.grant()), x.by(), x.at());
        } else if (e instanceof IdentityEvent.TokenIssued x) {
            payload = new TokenIssued(x.tokenId(), x.account(), x.secretHash(), x.expiresAt(), x.description(), x.by(),
                    x.at());
        } else if (e instanceof IdentityEvent.TokenRevoked x) {
            payload = new TokenRevoked(x.tokenId(), x.by(), x.at());
        } else if (e instanceof IdentityEvent.AccountDisabled x) {
            payload = new AccountDisabled(x.account(), x.by(), x.at());
        } else if (e instanceof IdentityEvent.SecretSet x) {
            payload = new SecretSet(x.name(), x.keyId(), x.sealed(), x.by(), x.at());
        } else if (e instanceof IdentityEvent.SecretDeleted x) {
            payload = new SecretDeleted(x.name(), x.by(), x.at());
        } else if (e instanceof IdentityEvent.IdentityCommandRejected x) {
            payload = new IdentityCommandRejected(x.code(), x.message(), x.by(), x.at());
        } else {
            throw new IllegalArgumentException("no wire form for " + e.getClass().getSimpleName());
        }
        try {
            return events.encode(IdentityEventEnvelope.newBuilder().setEventId(record.eventId())
                    .setTimestamp(record.at()).setKey(KEY).setCausationId(record.causationId())
                    .setCorrelationId(record.correlationId()).setIndex(record.index()).setCount(record.count())
                    .setPayload(payload).build());
        } catch (AvroCodecException | AvroRuntimeException ex) {
            throw new IllegalArgumentException("could not encode identity event " + record.eventId() + " ("
                    + e.getClass().getSimpleName() + "): " + ex.getMessage(), ex);
        }
    }

    public EventRecord decodeEvent(byte[] bytes) {
        IdentityEventEnvelope env;
        try {
            env = events.decode(bytes);
        } catch (AvroCodecException e) {
            throw new IllegalArgumentException("could not read an identity event envelope from "
                    + (bytes == null ? "null" : bytes.length + " bytes") + ": " + e.getMessage(), e);
        }
        Object p = env.getPayload();
        IdentityEvent event;
        if (p instanceof AccountCreated x) {
            event = new IdentityEvent.AccountCreated(x.getName(), kind(x.getKind()), x.getPasswordHash(), x.getBy(),
                    x.getAt());
        } else if (p instanceof PasswordSet x) {
            event = new IdentityEvent.PasswordSet(x.getAccount(), x.getPasswordHash(), x.getBy(), x.getAt());
        } else if (p instanceof RoleGranted x) {
            event = new IdentityEvent.RoleGranted(x.getAccount(), grant(x.getGrant().getRole(),
                    x.getGrant().getScope()), x.getBy(), x.getAt());
        } else if (p instanceof RoleRevoked x) {
            event = new IdentityEvent.RoleRevoked(x.getAccount(), grant(x.getGrant().getRole(),
                    x.getGrant().getScope()), x.getBy(), x.getAt());
        } else if (p instanceof TokenIssued x) {
            event = new IdentityEvent.TokenIssued(x.getTokenId(), x.getAccount(), x.getSecretHash(), x.getExpiresAt(),
                    x.getDescription(), x.getBy(), x.getAt());
        } else if (p instanceof TokenRevoked x) {
            event = new IdentityEvent.TokenRevoked(x.getTokenId(), x.getBy(), x.getAt());
        } else if (p instanceof AccountDisabled x) {
            event = new IdentityEvent.AccountDisabled(x.getAccount(), x.getBy(), x.getAt());
        } else if (p instanceof SecretSet x) {
            event = new IdentityEvent.SecretSet(x.getName(), x.getKeyId(), x.getSealed(), x.getBy(), x.getAt());
        } else if (p instanceof SecretDeleted x) {
            event = new IdentityEvent.SecretDeleted(x.getName(), x.getBy(), x.getAt());
        } else if (p instanceof IdentityCommandRejected x) {
            event = new IdentityEvent.IdentityCommandRejected(env.getCausationId(), x.getCode(), x.getMessage(),
                    x.getBy(), x.getAt());
        } else {
            throw new IllegalArgumentException("identity event " + env.getEventId() + " has an unknown payload");
        }
        return new EventRecord(env.getEventId(), env.getTimestamp(), env.getCausationId(), env.getCorrelationId(),
                env.getIndex(), env.getCount(), event);
    }

    private static dev.drover.schemas.identity.command.Grant commandGrant(Grant g) {
        return new dev.drover.schemas.identity.command.Grant(g.role().wireName(), g.scope());
    }

    private static dev.drover.schemas.identity.event.Grant eventGrant(Grant g) {
        return new dev.drover.schemas.identity.event.Grant(g.role().wireName(), g.scope());
    }

    private static Grant grant(String role, String scope) {
        return new Grant(Role.byName(role).orElseThrow(() -> new IllegalArgumentException(
                "unknown role in an identity record")), scope);
    }

    private static AccountKind kind(String kind) {
        try {
            return AccountKind.valueOf(kind);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("unknown account kind in an identity record");
        }
    }
}
