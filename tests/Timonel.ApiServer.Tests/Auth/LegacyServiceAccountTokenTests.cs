using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Timonel.ApiServer.Auth;

namespace Timonel.ApiServer.Tests.Auth;

public sealed class LegacyServiceAccountTokenTests : IDisposable
{
    private static readonly DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly ServiceAccountTokens _tokens = new(ECDsa.Create(ECCurve.NamedCurves.nistP256), ServiceAccountTokens.DefaultIssuer, new FixedClock(_now));
    private readonly Lookup _objects = new();
    private readonly ServiceAccountTokenAuthenticator _authenticator;

    public LegacyServiceAccountTokenTests() => _authenticator = new(_tokens, _objects, new FixedClock(_now));

    public void Dispose() => _tokens.Dispose();

    [Fact]
    public void IssueLegacy_Claims_UpstreamLegacyShapeWithoutExpiryOrAudience()
    {
        var token = _tokens.IssueLegacy("ns-1", "build-robot", "sa-uid", "build-robot-token");

        var payload = token.Split('.')[1].Replace('-', '+').Replace('_', '/');
        var claims = JsonNode.Parse(Convert.FromBase64String(payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=')))!.AsObject();
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["iss"] = "kubernetes/serviceaccount",
                ["kubernetes.io/serviceaccount/namespace"] = "ns-1",
                ["kubernetes.io/serviceaccount/secret.name"] = "build-robot-token",
                ["kubernetes.io/serviceaccount/service-account.name"] = "build-robot",
                ["kubernetes.io/serviceaccount/service-account.uid"] = "sa-uid",
                ["sub"] = "system:serviceaccount:ns-1:build-robot",
            },
            claims.ToDictionary(c => c.Key, c => c.Value!.GetValue<string>()));
    }

    [Fact]
    public async Task AuthenticateTokenAsync_SecretHoldsTokenAndAccountExists_ServiceAccountUserWithoutCredentialId()
    {
        var token = Current();

        var user = await _authenticator.AuthenticateTokenAsync(token, CancellationToken.None);

        Assert.NotNull(user);
        Assert.Equal("system:serviceaccount:ns-1:build-robot", user.Name);
        Assert.Equal(["system:serviceaccounts", "system:serviceaccounts:ns-1", "system:authenticated"], user.Groups);
        Assert.Equal("sa-uid", user.Uid);
        Assert.Empty(user.Extra);
    }

    [Fact]
    public async Task AuthenticateTokenAsync_FirstUseOfTheDay_LabelsTheSecretWithTheDay()
    {
        var token = Current();

        await _authenticator.AuthenticateTokenAsync(token, CancellationToken.None);

        Assert.Equal(["ns-1/build-robot-token secret-uid 2026-01-01"], _objects.Marked);
    }

    [Theory]
    [InlineData("2026-01-01")]
    [InlineData("2026-01-02")]
    public async Task AuthenticateTokenAsync_SecretLabelledTodayOrTomorrow_WritesNothing(string lastUsed)
    {
        var token = Current();
        _objects.Objects[("secrets", "build-robot-token")] = new TokenObject("secret-uid", null) { Token = token, LegacyTokenLastUsed = lastUsed };

        Assert.NotNull(await _authenticator.AuthenticateTokenAsync(token, CancellationToken.None));
        Assert.Empty(_objects.Marked);
    }

    [Fact]
    public async Task AuthenticateTokenAsync_SecretDeleted_Refused()
    {
        var token = Current();
        _objects.Objects.Remove(("secrets", "build-robot-token"));

        Assert.Null(await _authenticator.AuthenticateTokenAsync(token, CancellationToken.None));
    }

    [Fact]
    public async Task AuthenticateTokenAsync_SecretBeingDeleted_Refused()
    {
        var token = Current();
        _objects.Objects[("secrets", "build-robot-token")] = new TokenObject("secret-uid", _now) { Token = token };

        Assert.Null(await _authenticator.AuthenticateTokenAsync(token, CancellationToken.None));
    }

    [Fact]
    public async Task AuthenticateTokenAsync_SecretMarkedInvalid_Refused()
    {
        var token = Current();
        _objects.Objects[("secrets", "build-robot-token")] = new TokenObject("secret-uid", null) { Token = token, LegacyTokenInvalidated = true };

        Assert.Null(await _authenticator.AuthenticateTokenAsync(token, CancellationToken.None));
    }

    [Fact]
    public async Task AuthenticateTokenAsync_SecretHoldsAnotherToken_Refused()
    {
        var token = Current();
        _objects.Objects[("secrets", "build-robot-token")] = new TokenObject("secret-uid", null) { Token = "other" };

        Assert.Null(await _authenticator.AuthenticateTokenAsync(token, CancellationToken.None));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("new-uid")]
    public async Task AuthenticateTokenAsync_AccountGoneOrRecreated_Refused(string? accountUid)
    {
        var token = Current();
        _objects.Objects.Remove(("serviceaccounts", "build-robot"));
        if (accountUid is not null)
        {
            _objects.Objects[("serviceaccounts", "build-robot")] = new TokenObject(accountUid, null);
        }

        Assert.Null(await _authenticator.AuthenticateTokenAsync(token, CancellationToken.None));
    }

    [Fact]
    public async Task AuthenticateTokenAsync_LegacyClaimsSignedByAnotherKey_Refused()
    {
        using var otherKey = new ServiceAccountTokens(ECDsa.Create(ECCurve.NamedCurves.nistP256), ServiceAccountTokens.DefaultIssuer, new FixedClock(_now));
        var forged = otherKey.IssueLegacy("ns-1", "build-robot", "sa-uid", "build-robot-token");
        _objects.Objects[("serviceaccounts", "build-robot")] = new TokenObject("sa-uid", null);
        _objects.Objects[("secrets", "build-robot-token")] = new TokenObject("secret-uid", null) { Token = forged };

        Assert.Null(await _authenticator.AuthenticateTokenAsync(forged, CancellationToken.None));
    }

    private string Current()
    {
        var token = _tokens.IssueLegacy("ns-1", "build-robot", "sa-uid", "build-robot-token");
        _objects.Objects[("serviceaccounts", "build-robot")] = new TokenObject("sa-uid", null);
        _objects.Objects[("secrets", "build-robot-token")] = new TokenObject("secret-uid", null) { Token = token };
        return token;
    }

    private sealed class Lookup : ITokenObjectLookup
    {
        public Dictionary<(string Resource, string Name), TokenObject> Objects { get; } = [];

        public List<string> Marked { get; } = [];

        public Task MarkLegacyTokenUsedAsync(string ns, string name, string uid, string day, CancellationToken cancellationToken)
        {
            Marked.Add($"{ns}/{name} {uid} {day}");
            return Task.CompletedTask;
        }

        public Task<TokenObject?> FindAsync(string resource, string? ns, string name, CancellationToken cancellationToken) =>
            Task.FromResult(ns == "ns-1" && Objects.TryGetValue((resource, name), out var found) ? found : null);
    }
}
