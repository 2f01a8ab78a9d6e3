using System.Globalization;
using Timonel.ApiServer.Auth;
using Timonel.ApiServer.Json;

namespace Timonel.ApiServer.Registry;

/// <summary>
/// Token authentication's view of the objects tokens name: the watch cache first, the store on a miss (as upstream's
/// authenticator reads informers' listers, falling back to a live read), so a request costs no datastore read.
/// </summary>
internal sealed class TokenObjectLookup(StoreRegistry registry) : ITokenObjectLookup
{
    // pkg/serviceaccount/legacy.go: LegacyTokenInvalidSinceLabelKey and LastUsedLabelKey.
    private const string InvalidSinceLabel = "kubernetes.io/legacy-token-invalid-since";
    private const string LastUsedLabel = "kubernetes.io/legacy-token-last-used";

    public async Task<TokenObject?> FindAsync(string resource, string? ns, string name, CancellationToken cancellationToken)
    {
        var found = await registry.Get("", resource).FindRecentAsync(ns, name, cancellationToken).ConfigureAwait(false);
        if (found is null)
        {
            return null;
        }

        var deletion = found.StringAt("metadata", "deletionTimestamp") is { Length: > 0 } stamp
            ? DateTimeOffset.Parse(stamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)
            : (DateTimeOffset?)null;
        return resource == "secrets"
            ? new TokenObject(found.Uid() ?? "", deletion)
            {
                Token = SecretToken(found),
                LegacyTokenInvalidated = found.StringAt("metadata", "labels", InvalidSinceLabel) is { Length: > 0 },
                LegacyTokenLastUsed = found.StringAt("metadata", "labels", LastUsedLabel),
            }
            : new TokenObject(found.Uid() ?? "", deletion);
    }

    public async Task MarkLegacyTokenUsedAsync(string ns, string name, string uid, string day, CancellationToken cancellationToken)
    {
        var secrets = registry.Get("", "secrets");
        await secrets.GuaranteedUpdateAsync(ns, name, current =>
        {
            if (current.Uid() != uid || current.StringAt("metadata", "labels", LastUsedLabel) == day)
            {
                return current;
            }

            var updated = current.DeepClone().AsObject();
            updated.Child("metadata").Child("labels")[LastUsedLabel] = day;
            return updated;
        }, secrets.Definition.Strategy, dryRun: false, cancellationToken).ConfigureAwait(false);
    }

    private static string? SecretToken(System.Text.Json.Nodes.JsonNode secret)
    {
        try
        {
            return secret.StringAt("data", "token") is { } encoded ? System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(encoded)) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
