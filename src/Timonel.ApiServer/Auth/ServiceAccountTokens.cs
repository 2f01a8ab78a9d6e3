using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Timonel.ApiServer.Auth;

/// <summary>
/// Service-account JWTs (ES256) signed with the key in DATA/tls/service.key. Issues tokens (for TokenRequest and
/// tests) and reads back the claims of those it signed; whether their ServiceAccount still exists is
/// <see cref="ServiceAccountTokenAuthenticator"/>'s question.
/// Hand-written because it is two small functions over the framework's ECDsa; a JWT library would add a
/// dependency tree for the same 60 lines.
/// </summary>
public sealed class ServiceAccountTokens : IDisposable
{
    public const string DefaultIssuer = "https://kubernetes.default.svc.cluster.local";

    /// <summary>The iss of tokens kept in service-account-token Secrets (pkg/serviceaccount/legacy.go LegacyIssuer).</summary>
    public const string LegacyIssuer = "kubernetes/serviceaccount";

    // pkg/serviceaccount/legacy.go legacyPrivateClaims: the claim names of a legacy token.
    private const string LegacyNamespaceClaim = "kubernetes.io/serviceaccount/namespace";
    private const string LegacySecretNameClaim = "kubernetes.io/serviceaccount/secret.name";
    private const string LegacyAccountNameClaim = "kubernetes.io/serviceaccount/service-account.name";
    private const string LegacyAccountUidClaim = "kubernetes.io/serviceaccount/service-account.uid";

    /// <summary>
    /// The audiences this server answers to (kube-apiserver's --api-audiences): the issuer, which is upstream's
    /// default, and "k3s", which K3s adds; a token for any of them authenticates here, and a TokenRequest that asks
    /// for none gets them all.
    /// </summary>
    public static IReadOnlyList<string> ApiAudiences { get; } = [DefaultIssuer, "k3s"];

    private readonly ECDsa _key;
    private readonly string _issuer;
    private readonly TimeProvider _time;

    public ServiceAccountTokens(ECDsa key, string issuer, TimeProvider time)
    {
        _key = key;
        _issuer = issuer;
        _time = time;
    }

    public static ServiceAccountTokens LoadOrCreate(string tlsDirectory, TimeProvider time)
    {
        var path = Path.Combine(tlsDirectory, "service.key");
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        if (File.Exists(path))
        {
            key.ImportFromPem(File.ReadAllText(path));
        }
        else
        {
            File.WriteAllText(path, key.ExportECPrivateKeyPem());
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return new ServiceAccountTokens(key, DefaultIssuer, time);
    }

    /// <param name="audiences">The aud claim; null: this API server's audiences (<see cref="ApiAudiences"/>).</param>
    /// <param name="bound">The pod, secret or node the token lives only as long as; null: none.</param>
    public string Issue(string ns, string serviceAccount, string uid, TimeSpan lifetime, IReadOnlyList<string>? audiences = null, BoundObjects? bound = null)
    {
        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        // The claims' shape and order as upstream's token.Claims writes them (pkg/serviceaccount/claims.go); the jti
        // (ServiceAccountTokenJTI, on since 1.30) becomes the credential-id a request's user carries.
        var kubernetes = new JsonObject { ["namespace"] = ns };
        if (bound?.Node is { } node)
        {
            kubernetes["node"] = Reference(node);
        }

        if (bound?.Pod is { } pod)
        {
            kubernetes["pod"] = Reference(pod);
        }

        if (bound?.Secret is { } secret)
        {
            kubernetes["secret"] = Reference(secret);
        }

        kubernetes["serviceaccount"] = new JsonObject { ["name"] = serviceAccount, ["uid"] = uid };
        var claims = new JsonObject
        {
            ["aud"] = new JsonArray([.. (audiences ?? ApiAudiences).Select(a => JsonValue.Create(a))]),
            ["exp"] = now + (long)lifetime.TotalSeconds,
            ["iat"] = now,
            ["iss"] = _issuer,
            ["jti"] = Guid.NewGuid().ToString(),
            ["kubernetes.io"] = kubernetes,
            ["nbf"] = now,
            ["sub"] = $"system:serviceaccount:{ns}:{serviceAccount}",
        };
        return Sign(claims);
    }

    /// <summary>
    /// A token for a service-account-token Secret, in upstream's legacy shape (pkg/serviceaccount/legacy.go
    /// LegacyClaims): no audience, no expiry, no jti; it lasts as long as the Secret holds it and the account exists.
    /// </summary>
    public string IssueLegacy(string ns, string serviceAccount, string uid, string secretName) =>
        Sign(new JsonObject
        {
            ["iss"] = LegacyIssuer,
            [LegacyNamespaceClaim] = ns,
            [LegacySecretNameClaim] = secretName,
            [LegacyAccountNameClaim] = serviceAccount,
            [LegacyAccountUidClaim] = uid,
            ["sub"] = $"system:serviceaccount:{ns}:{serviceAccount}",
        });

    /// <summary>
    /// The service account a token names, when this server signed it for its own audience and it has not expired;
    /// otherwise null.
    /// </summary>
    public ServiceAccountClaims? ReadClaims(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            return null;
        }

        try
        {
            var header = JsonNode.Parse(FromBase64Url(parts[0]));
            if (header?["alg"]?.GetValue<string>() != "ES256"
                || !_key.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), FromBase64Url(parts[2]), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
            {
                return null;
            }

            var claims = JsonNode.Parse(FromBase64Url(parts[1]));
            if (claims?["iss"] is JsonValue issuer && issuer.TryGetValue<string>(out var iss) && iss == LegacyIssuer)
            {
                return ReadLegacyClaims(claims);
            }

            var now = _time.GetUtcNow().ToUnixTimeSeconds();
            if (claims?["iss"]?.GetValue<string>() != _issuer || (claims["exp"]?.GetValue<long>() ?? 0) < now || !IsForThisServer(claims["aud"]))
            {
                return null;
            }

            var kubernetes = claims["kubernetes.io"];
            var ns = kubernetes?["namespace"]?.GetValue<string>() ?? "";
            var name = kubernetes?["serviceaccount"]?["name"]?.GetValue<string>() ?? "";
            var uid = kubernetes?["serviceaccount"]?["uid"]?.GetValue<string>() ?? "";
            // The subject must agree with the private claims, as upstream's validator requires.
            return ns.Length > 0 && name.Length > 0 && claims["sub"]?.GetValue<string>() == $"system:serviceaccount:{ns}:{name}"
                ? new ServiceAccountClaims(ns, name, uid)
                {
                    Pod = Binding(kubernetes?["pod"]),
                    Secret = Binding(kubernetes?["secret"]),
                    Node = Binding(kubernetes?["node"]),
                    Id = claims["jti"]?.GetValue<string>() ?? "",
                }
                : null;
        }
        catch (Exception ex) when (ex is FormatException or System.Text.Json.JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    public void Dispose() => _key.Dispose();

    /// <summary>
    /// legacy.go legacyValidator.Validate's claim checks: all four private claims present and the subject agreeing
    /// with them. A legacy token carries no aud (upstream's authenticator then applies the API audiences) and no exp.
    /// </summary>
    private static ServiceAccountClaims? ReadLegacyClaims(JsonNode claims)
    {
        var ns = claims[LegacyNamespaceClaim]?.GetValue<string>() ?? "";
        var secret = claims[LegacySecretNameClaim]?.GetValue<string>() ?? "";
        var name = claims[LegacyAccountNameClaim]?.GetValue<string>() ?? "";
        var uid = claims[LegacyAccountUidClaim]?.GetValue<string>() ?? "";
        return ns.Length > 0 && secret.Length > 0 && name.Length > 0 && uid.Length > 0
            && claims["sub"]?.GetValue<string>() == $"system:serviceaccount:{ns}:{name}"
            ? new ServiceAccountClaims(ns, name, uid) { LegacySecret = secret }
            : null;
    }

    private string Sign(JsonObject claims)
    {
        var header = new JsonObject { ["alg"] = "ES256", ["typ"] = "JWT" };
        var signingInput = Base64Url(Encoding.UTF8.GetBytes(header.ToJsonString())) + "." + Base64Url(Encoding.UTF8.GetBytes(claims.ToJsonString()));
        var signature = _key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return signingInput + "." + Base64Url(signature);
    }

    /// <summary>
    /// A token requested for another audience (kubectl create token --audience=vault) is not a credential here:
    /// upstream's authenticator accepts only tokens whose aud names one of the API server's audiences.
    /// </summary>
    private static bool IsForThisServer(JsonNode? audiences) =>
        audiences switch
        {
            // go-jose reads a lone string as a one-element audience.
            JsonValue one when one.TryGetValue<string>(out var audience) => ApiAudiences.Contains(audience),
            JsonArray list => list.Any(a => a is JsonValue value && value.TryGetValue<string>(out var audience) && ApiAudiences.Contains(audience)),
            _ => false,
        };

    private static JsonObject Reference(TokenBinding binding) => new() { ["name"] = binding.Name, ["uid"] = binding.Uid };

    private static TokenBinding? Binding(JsonNode? reference) =>
        reference is JsonObject found && found["name"]?.GetValue<string>() is { Length: > 0 } name
            ? new TokenBinding(name, found["uid"]?.GetValue<string>() ?? "")
            : null;

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromBase64Url(string text)
    {
        var base64 = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '='));
    }
}
