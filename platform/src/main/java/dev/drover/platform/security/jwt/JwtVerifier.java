package dev.drover.platform.security.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.drover.platform.input.TextRules;
import dev.drover.platform.security.Authentication;
import dev.drover.platform.security.Grant;
import dev.drover.platform.security.Principal;
import dev.drover.platform.security.Role;
import dev.drover.platform.security.identity.AccountKind;

import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Proves a bearer JWT signed by the configured identity provider: the signature against the provider's JWK Set
 * (fetched over HTTP, cached and refreshed by nimbus-jose-jwt when a new key id appears), then the claims — the
 * configured {@code iss}, an accepted {@code aud}, {@code exp} in the future and {@code nbf} in the past within the
 * clock skew, and the user-name claim. Asymmetric algorithms only (RSA, RSA-PSS, ECDSA, EdDSA): {@code none} and
 * HMAC, which would let anyone holding a shared secret mint tokens, are refused.
 *
 * <p>The principal is the user-name claim; its grants come from the roles claim ({@code admin}, {@code operator:churn-}
 * for a scoped grant) plus the configured default roles. Unknown roles are ignored, so a provider's other groups
 * do no harm. Thread-safe.
 */
public final class JwtVerifier {
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384,
            JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256,
            JWSAlgorithm.ES384, JWSAlgorithm.ES512, JWSAlgorithm.EdDSA);
    private static final String FIX = "sign in again at the identity provider and send the new token; its issuer "
            + "and audience must be the ones Drover is configured with (docs/security.md)";

    private final DefaultJWTProcessor<SecurityContext> processor;
    private final JwtSettings settings;
    private final Set<Grant> defaultGrants;

    /** @throws IllegalArgumentException when the settings are incomplete (checked at start, not per request) */
    public JwtVerifier(JwtSettings settings) {
        this(settings, keys(settings));
    }

    JwtVerifier(JwtSettings settings, JWKSource<SecurityContext> keys) {
        if (settings.getIssuer() == null || settings.getIssuer().isBlank()) {
            throw new IllegalArgumentException("drover.security.jwt.issuer is required with a JWKS URL: tokens of "
                    + "any other issuer signed with the same keys must not be accepted");
        }
        this.settings = settings;
        this.processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT,
                new JOSEObjectType("at+jwt"), null));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys));
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
                settings.getAudience().isEmpty() ? null : new HashSet<>(settings.getAudience()),
                new JWTClaimsSet.Builder().issuer(settings.getIssuer()).build(),
                Set.of("exp", "aud", settings.getUsernameClaim()), null);
        claims.setMaxClockSkew((int) settings.getClockSkew().toSeconds());
        processor.setJWTClaimsSetVerifier(claims);
        Set<Grant> defaults = new LinkedHashSet<>();
        for (String r : settings.getDefaultRoles()) {
            grant(r).ifPresentOrElse(defaults::add, () -> {
                throw new IllegalArgumentException("drover.security.jwt.default-roles: '" + r + "' is not a role; "
                        + "use viewer, publisher, operator, author, model-maintainer, approver or admin");
            });
        }
        this.defaultGrants = Set.copyOf(defaults);
    }

    /** Whether a bearer value has the shape of a JWS in compact form (three base64url parts). */
    public static boolean looksLikeJwt(String value) {
        int first = value.indexOf('.');
        return first > 0 && value.indexOf('.', first + 1) > first + 1 && value.chars().filter(c -> c == '.').count() == 2;
    }

    public Authentication verify(String token) {
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (KeySourceException e) {
            return new Authentication.Refused("the identity provider's signing keys could not be fetched from "
                    + settings.getJwksUrl() + ": " + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()), "retry; if it lasts, check "
                    + "drover.security.jwt.jwks-url");
        } catch (ParseException e) {
            return new Authentication.Refused("the bearer token is neither a Drover API token nor a JWT", FIX);
        } catch (BadJOSEException | JOSEException e) {
            return new Authentication.Refused("the JWT is not accepted: " + e.getMessage(), FIX);
        }
        Object user = claims.getClaim(settings.getUsernameClaim());
        if (!(user instanceof String name) || name.isBlank() || TextRules.name(name, 200).isPresent()) {
            return new Authentication.Refused("the JWT's " + settings.getUsernameClaim() + " claim is not a name "
                    + "Drover can record", FIX);
        }
        Set<Grant> grants = new LinkedHashSet<>(defaultGrants);
        for (String r : roles(claims.getClaim(settings.getRolesClaim()))) {
            grant(r).ifPresent(grants::add);
        }
        return new Authentication.Authenticated(new Principal(name, AccountKind.PERSON, grants),
                claims.getExpirationTime().toInstant());
    }

    private static List<String> roles(Object claim) {
        List<String> out = new ArrayList<>();
        if (claim instanceof String s) {
            for (String part : s.split("[\\s,]+")) {
                if (!part.isBlank()) {
                    out.add(part);
                }
            }
        } else if (claim instanceof List<?> list) {
            list.forEach(o -> {
                if (o instanceof String s) {
                    out.add(s.strip());
                }
            });
        }
        return out;
    }

    /** {@code role} or {@code role:scope}. */
    private static Optional<Grant> grant(String value) {
        int colon = value.indexOf(':');
        String role = colon < 0 ? value : value.substring(0, colon);
        String scope = colon < 0 ? "" : value.substring(colon + 1);
        if (TextRules.name(scope, 100).isPresent()) {
            return Optional.empty();
        }
        return Role.byName(role).map(r -> new Grant(r, scope));
    }

    private static JWKSource<SecurityContext> keys(JwtSettings settings) {
        JWKSourceBuilder<SecurityContext> b = JWKSourceBuilder.create(url(settings.getJwksUrl())).retrying(true);
        long interval = settings.getRefetchInterval().toMillis();
        // tokens naming unknown keys must not turn Drover into a tool for flooding the provider with requests
        return (interval > 0 ? b.rateLimited(interval) : b.rateLimited(false)).build();
    }

    private static URL url(String value) {
        try {
            URI uri = URI.create(value);
            if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())) {
                throw new IllegalArgumentException("drover.security.jwt.jwks-url must be an http(s) URL");
            }
            return uri.toURL();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("drover.security.jwt.jwks-url is not a URL: " + e.getMessage(), e);
        }
    }
}
