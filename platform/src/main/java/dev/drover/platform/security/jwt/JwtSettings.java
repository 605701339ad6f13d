package dev.drover.platform.security.jwt;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;
import java.util.List;

/**
 * Signed JWTs from an external identity provider ({@code drover.security.jwt.*}): off unless {@code jwks-url} is
 * set. A request with {@code Authorization: Bearer <JWT>} is then proved by the provider's signature and its claims;
 * docs/security.md, "External identity providers".
 */
@ConfigurationProperties("drover.security.jwt")
public class JwtSettings {
    private String jwksUrl;
    private String issuer;
    private List<String> audience = List.of();
    private String usernameClaim = "sub";
    private String rolesClaim = "roles";
    private List<String> defaultRoles = List.of();
    private Duration clockSkew = Duration.ofSeconds(60);
    private Duration refetchInterval = Duration.ofSeconds(30);

    public boolean enabled() {
        return jwksUrl != null && !jwksUrl.isBlank();
    }

    /** Where the provider publishes its signing keys (JWK Set), e.g. {@code https://idp/.well-known/jwks.json}. */
    public String getJwksUrl() {
        return jwksUrl;
    }

    public void setJwksUrl(String jwksUrl) {
        this.jwksUrl = jwksUrl;
    }

    /** The {@code iss} every token must carry; required with a JWKS URL. */
    public String getIssuer() {
        return issuer;
    }

    public void setIssuer(String issuer) {
        this.issuer = issuer;
    }

    /** Accepted {@code aud} values; a token must name one of them. Empty: required anyway, any value. */
    public List<String> getAudience() {
        return audience;
    }

    public void setAudience(List<String> audience) {
        this.audience = audience == null ? List.of() : List.copyOf(audience);
    }

    /** The claim naming the principal recorded in events ({@code sub}; {@code email} or {@code preferred_username}). */
    public String getUsernameClaim() {
        return usernameClaim;
    }

    public void setUsernameClaim(String usernameClaim) {
        this.usernameClaim = usernameClaim;
    }

    /** The claim listing Drover roles, each {@code role} or {@code role:scope} ({@code roles}; e.g. {@code groups}). */
    public String getRolesClaim() {
        return rolesClaim;
    }

    public void setRolesClaim(String rolesClaim) {
        this.rolesClaim = rolesClaim;
    }

    /** Roles every signed-in provider user gets besides those in the claim (e.g. {@code viewer}). */
    public List<String> getDefaultRoles() {
        return defaultRoles;
    }

    public void setDefaultRoles(List<String> defaultRoles) {
        this.defaultRoles = defaultRoles == null ? List.of() : List.copyOf(defaultRoles);
    }

    /** How far {@code exp} and {@code nbf} may be off between the provider's clock and this one. */
    public Duration getClockSkew() {
        return clockSkew;
    }

    public void setClockSkew(Duration clockSkew) {
        this.clockSkew = clockSkew;
    }

    /**
     * The shortest time between two fetches of the key set that tokens naming an unknown key cause (a rotation at the
     * provider); 0: no limit. The set is cached and refreshed in the background otherwise.
     */
    public Duration getRefetchInterval() {
        return refetchInterval;
    }

    public void setRefetchInterval(Duration refetchInterval) {
        this.refetchInterval = refetchInterval;
    }
}
