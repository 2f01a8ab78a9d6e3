using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Auth;

/// <summary>
/// Bootstrap tokens (plugin/pkg/auth/authenticator/token/bootstrap, kubeadm's join tokens): a bearer token
/// <c>&lt;id&gt;.&lt;secret&gt;</c> is user <c>system:bootstrap:&lt;id&gt;</c> in system:bootstrappers and the Secret's
/// auth-extra-groups when kube-system holds a Secret bootstrap-token-&lt;id&gt; of type bootstrap.kubernetes.io/token
/// whose token-id and token-secret match, that allows authentication and has not expired. The Secret is read as the
/// server's other lookups are: from the watch cache, the store only on a miss.
/// </summary>
public sealed partial class BootstrapTokenAuthenticator : IAuthenticator, ITokenAuthenticator
{
    public const string SecretType = "bootstrap.kubernetes.io/token";
    public const string SecretPrefix = "bootstrap-token-";
    public const string BootstrappersGroup = "system:bootstrappers";
    public const string UserPrefix = "system:bootstrap:";

    private readonly StoreRegistry _registry;
    private readonly TimeProvider _time;

    public BootstrapTokenAuthenticator(StoreRegistry registry, TimeProvider time)
    {
        _registry = registry;
        _time = time;
    }

    public async Task<UserInfo?> AuthenticateAsync(HttpContext context) =>
        StaticTokenAuthenticator.BearerToken(context.Request) is { } token ? await AuthenticateTokenAsync(token, context.RequestAborted) : null;

    public async Task<UserInfo?> AuthenticateTokenAsync(string token, CancellationToken cancellationToken)
    {
        var match = TokenPattern().Match(token);
        if (!match.Success)
        {
            return null;
        }

        var (id, secret) = (match.Groups[1].Value, match.Groups[2].Value);
        var stored = await _registry.Get("", "secrets").FindRecentAsync("kube-system", SecretPrefix + id, cancellationToken);
        if (stored is null || stored.StringAt("metadata", "deletionTimestamp") is not null || stored.StringAt("type") != SecretType)
        {
            return null;
        }

        var data = stored.ObjectAt("data");
        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(Data(data, "token-secret")), Encoding.UTF8.GetBytes(secret))
            || Data(data, "token-id") != id
            || Expired(Data(data, "expiration"))
            || Data(data, "usage-bootstrap-authentication") != "true")
        {
            return null;
        }

        var groups = new List<string> { BootstrappersGroup };
        foreach (var extra in Data(data, "auth-extra-groups").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // bootstrapsecretutil.GetGroups: an extra group outside system:bootstrappers:* makes the token unusable.
            if (!ExtraGroupPattern().IsMatch(extra))
            {
                return null;
            }

            groups.Add(extra);
        }

        return UserInfo.Authenticated(UserPrefix + id, groups);
    }

    private bool Expired(string expiration) =>
        expiration.Length > 0 && (!DateTimeOffset.TryParse(expiration, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at) || at < _time.GetUtcNow());

    private static string Data(JsonObject? data, string key)
    {
        if (data?.StringAt(key) is not { } encoded)
        {
            return "";
        }

        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
        }
        catch (FormatException)
        {
            return "";
        }
    }

    // k8s.io/cluster-bootstrap/token/api: BootstrapTokenPattern and BootstrapGroupPattern.
    [GeneratedRegex(@"^([a-z0-9]{6})\.([a-z0-9]{16})$")]
    private static partial Regex TokenPattern();

    [GeneratedRegex(@"^system:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]$")]
    private static partial Regex ExtraGroupPattern();
}
