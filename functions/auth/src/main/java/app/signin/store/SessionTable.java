package app.signin.store;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

import app.signin.crypto.RandomTokens;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The session table's shape, as template.yaml declares it: partition key {@code pk}, TTL on
 * {@code expiresAt}, and two global secondary indexes that find a user's sessions without a scan.
 * <ul>
 * <li>{@value #BY_USER}: key {@code userKey} ({@code u#} + SHA-256 of the {@code sub}), sorted by
 * {@code createdAt}; it projects only what the session list shows (start, last use, expiry, device), so a
 * Query on it can read no e-mail, name or sealed token.</li>
 * <li>{@value #BY_EMAIL}: key {@code emailKey} ({@code e#} + SHA-256 of the lower-cased address), keys only:
 * for operators who name a user by e-mail. The index holds no address, only its hash.</li>
 * </ul>
 * The prefixes let IAM's {@code dynamodb:LeadingKeys} tell the indexes' keys from the table's, as it does
 * {@code s#} from {@code l#}. Local set-ups (tests, the local runner) create the table from
 * {@link #createRequest}, so they cannot drift from this description - template.yaml must match it.
 */
public final class SessionTable {
    public static final String PK = "pk";
    public static final String TTL = "expiresAt";
    public static final String BY_USER = "byUser";
    public static final String BY_EMAIL = "byEmail";
    static final String USER_KEY = "userKey";
    static final String EMAIL_KEY = "emailKey";
    static final String CREATED_AT = "createdAt";
    static final String LAST_SEEN_AT = "lastSeenAt";
    static final String DEVICE = "device";
    static final String USER_PREFIX = "u#";
    static final String EMAIL_PREFIX = "e#";

    private SessionTable() {
    }

    /** The user index's key for a {@code sub}: fixed length, whatever the provider's subject looks like. */
    public static String userKey(String sub) {
        return USER_PREFIX + hash(sub);
    }

    /** The e-mail index's key: addresses compare case-insensitively, as operators type them. */
    public static String emailKey(String email) {
        return EMAIL_PREFIX + hash(email.strip().toLowerCase(Locale.ROOT));
    }

    private static String hash(String value) {
        return RandomTokens.base64Url(RandomTokens.sha256(value.getBytes(StandardCharsets.UTF_8)));
    }

    /** A table of this shape, on demand; TTL is switched on separately (it is not part of CreateTable). */
    public static CreateTableRequest createRequest(String name) {
        return CreateTableRequest.builder()
                .tableName(name)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(attribute(PK, ScalarAttributeType.S), attribute(USER_KEY, ScalarAttributeType.S),
                        attribute(CREATED_AT, ScalarAttributeType.N), attribute(EMAIL_KEY, ScalarAttributeType.S))
                .keySchema(key(PK, KeyType.HASH))
                .globalSecondaryIndexes(
                        GlobalSecondaryIndex.builder().indexName(BY_USER)
                                .keySchema(key(USER_KEY, KeyType.HASH), key(CREATED_AT, KeyType.RANGE))
                                .projection(Projection.builder().projectionType(ProjectionType.INCLUDE)
                                        .nonKeyAttributes(LAST_SEEN_AT, TTL, DEVICE).build())
                                .build(),
                        GlobalSecondaryIndex.builder().indexName(BY_EMAIL)
                                .keySchema(key(EMAIL_KEY, KeyType.HASH))
                                .projection(Projection.builder().projectionType(ProjectionType.KEYS_ONLY).build())
                                .build())
                .build();
    }

    private static AttributeDefinition attribute(String name, ScalarAttributeType type) {
        return AttributeDefinition.builder().attributeName(name).attributeType(type).build();
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }
}
