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

    /// <param name="audiences">The aud claim; null: this API server alone (upstream's --api-audiences default, the issuer).</param>
    public string Issue(string ns, string serviceAccount, string uid, TimeSpan lifetime, IReadOnlyList<string>? audiences = null)
    {
        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        var header = new JsonObject { ["alg"] = "ES256", ["typ"] = "JWT" };
        var claims = new JsonObject
        {
            ["iss"] = _issuer,
            ["sub"] = $"system:serviceaccount:{ns}:{serviceAccount}",
            ["aud"] = new JsonArray([.. (audiences ?? [_issuer]).Select(a => JsonValue.Create(a))]),
            ["iat"] = now,
            ["nbf"] = now,
            ["exp"] = now + (long)lifetime.TotalSeconds,
            ["kubernetes.io"] = new JsonObject
            {
                ["namespace"] = ns,
                ["serviceaccount"] = new JsonObject { ["name"] = serviceAccount, ["uid"] = uid },
            },
        };
        var signingInput = Base64Url(Encoding.UTF8.GetBytes(header.ToJsonString())) + "." + Base64Url(Encoding.UTF8.GetBytes(claims.ToJsonString()));
        var signature = _key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return signingInput + "." + Base64Url(signature);
    }

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
            var now = _time.GetUtcNow().ToUnixTimeSeconds();
            if (claims?["iss"]?.GetValue<string>() != _issuer || (claims["exp"]?.GetValue<long>() ?? 0) < now || !IsForThisServer(claims["aud"]))
            {
                return null;
            }

            var ns = claims["kubernetes.io"]?["namespace"]?.GetValue<string>() ?? "";
            var name = claims["kubernetes.io"]?["serviceaccount"]?["name"]?.GetValue<string>() ?? "";
            var uid = claims["kubernetes.io"]?["serviceaccount"]?["uid"]?.GetValue<string>() ?? "";
            // The subject must agree with the private claims, as upstream's validator requires.
            return ns.Length > 0 && name.Length > 0 && claims["sub"]?.GetValue<string>() == $"system:serviceaccount:{ns}:{name}"
                ? new ServiceAccountClaims(ns, name, uid)
                : null;
        }
        catch (Exception ex) when (ex is FormatException or System.Text.Json.JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    public void Dispose() => _key.Dispose();

    /// <summary>
    /// A token requested for another audience (kubectl create token --audience=vault) is not a credential here:
    /// upstream's authenticator accepts only tokens whose aud names one of the API server's audiences.
    /// </summary>
    private bool IsForThisServer(JsonNode? audiences) =>
        audiences is JsonArray list && list.Any(a => a is JsonValue value && value.TryGetValue<string>(out var audience) && audience == _issuer);

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromBase64Url(string text)
    {
        var base64 = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '='));
    }
}
