using System.Text.Json.Nodes;
using Timonel.ApiServer.Endpoints;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Admission;

/// <summary>
/// The ServiceAccount plugin on a new pod (plugin/pkg/admission/serviceaccount/admission.go): a pod that names no
/// service account runs as "default"; the account must exist; unless the pod (or else the account) opts out with
/// automountServiceAccountToken: false, every container and init container mounts the projected
/// kube-api-access-XXXXX volume (a bound token, the cluster CA, the namespace) read-only at
/// /var/run/secrets/kubernetes.io/serviceaccount; and the account's imagePullSecrets fill in a pod that has none.
/// Mirror pods are left alone and may not name an account. Without <see cref="AdmissionServices"/> (a bare store) the
/// plugin only defaults the name.
/// </summary>
public sealed class ServiceAccountAdmission(AdmissionServices? services = null) : IMutatingAdmissionPlugin
{
    public const string DefaultServiceAccount = "default";

    // admission.go: DefaultAPITokenMountPath, ServiceAccountVolumeName.
    public const string TokenMountPath = "/var/run/secrets/kubernetes.io/serviceaccount";
    public const string VolumeNamePrefix = "kube-api-access-";

    /// <summary>pkg/serviceaccount WarnOnlyBoundTokenExpirationSeconds: the projected token's requested lifetime.</summary>
    public const long ProjectedTokenExpirationSeconds = 3607;

    private const string MirrorPodAnnotation = "kubernetes.io/config.mirror";

    /// <summary>getServiceAccount: the default account is looked up ten times, as its controller may not have made it yet.</summary>
    private const int DefaultAccountAttempts = 10;

    public string Name => "ServiceAccount";

    public AdmittedResource? Resource { get; } = new("", "pods");

    public bool Handles(AdmissionOperation operation) => operation == AdmissionOperation.Create;

    public async ValueTask AdmitAsync(AdmissionAttributes attributes, CancellationToken cancellationToken)
    {
        var pod = attributes.Object!;
        var spec = pod.Child("spec");
        if (pod.StringAt("metadata", "annotations", MirrorPodAnnotation) is not null)
        {
            if (!string.IsNullOrEmpty(spec.StringAt("serviceAccountName")))
            {
                throw Forbidden(attributes, "a mirror pod may not reference service accounts");
            }

            return;
        }

        var accountName = spec.StringAt("serviceAccountName");
        if (string.IsNullOrEmpty(accountName))
        {
            accountName = DefaultServiceAccount;
            spec["serviceAccountName"] = accountName;
            spec["serviceAccount"] = accountName;
        }

        if (services is null)
        {
            return;
        }

        var account = await FindAccountAsync(services, attributes.Namespace!, accountName, cancellationToken)
            ?? throw Forbidden(attributes, $"error looking up service account {attributes.Namespace}/{accountName}: serviceaccount \"{accountName}\" not found");
        if (ShouldAutomount(account, spec))
        {
            MountToken(spec);
        }

        if (spec.ArrayAt("imagePullSecrets") is not { Count: > 0 } && account.ArrayAt("imagePullSecrets") is { Count: > 0 } pullSecrets)
        {
            spec["imagePullSecrets"] = new JsonArray([.. pullSecrets.Select(s => (JsonNode)new JsonObject { ["name"] = s.StringAt("name") ?? "" })]);
        }
    }

    /// <summary>The projected volume source upstream mounts (admission.go TokenVolumeSource), defaultMode 0644 set explicitly.</summary>
    public static JsonObject TokenVolumeSource() => new()
    {
        ["defaultMode"] = 420,
        ["sources"] = new JsonArray(
            new JsonObject { ["serviceAccountToken"] = new JsonObject { ["expirationSeconds"] = ProjectedTokenExpirationSeconds, ["path"] = "token" } },
            new JsonObject
            {
                ["configMap"] = new JsonObject
                {
                    ["items"] = new JsonArray(new JsonObject { ["key"] = "ca.crt", ["path"] = "ca.crt" }),
                    ["name"] = "kube-root-ca.crt",
                },
            },
            new JsonObject
            {
                ["downwardAPI"] = new JsonObject
                {
                    ["items"] = new JsonArray(new JsonObject
                    {
                        ["fieldRef"] = new JsonObject { ["apiVersion"] = "v1", ["fieldPath"] = "metadata.namespace" },
                        ["path"] = "namespace",
                    }),
                },
            }),
    };

    private static async Task<JsonObject?> FindAccountAsync(AdmissionServices services, string ns, string name, CancellationToken cancellationToken)
    {
        var accounts = services.Registry.Get("", "serviceaccounts");
        var attempts = name == DefaultServiceAccount ? DefaultAccountAttempts : 1;
        for (var attempt = 0; attempt < attempts; attempt++)
        {
            if (attempt > 0)
            {
                // A random 100-200ms between attempts, as upstream waits.
                await Task.Delay(TimeSpan.FromMilliseconds(100 + Random.Shared.Next(100)), services.Time, cancellationToken);
            }

            if (await accounts.FindRecentAsync(ns, name, cancellationToken) is { } account)
            {
                return account;
            }
        }

        return null;
    }

    /// <summary>shouldAutomount: the pod's choice, else the account's, else yes.</summary>
    private static bool ShouldAutomount(JsonObject account, JsonObject spec) =>
        spec.BoolAt("automountServiceAccountToken") ?? account.BoolAt("automountServiceAccountToken") ?? true;

    /// <summary>
    /// mountServiceAccountToken: reuse a kube-api-access volume the pod already has, else name a new one; mount it in
    /// every container that mounts nothing at the token path; add the volume only when some container needed it.
    /// </summary>
    private static void MountToken(JsonObject spec)
    {
        var volumes = spec.ArrayAt("volumes");
        var existing = volumes?.Select(v => v.StringAt("name")).FirstOrDefault(n => n is not null && n.StartsWith(VolumeNamePrefix, StringComparison.Ordinal));
        var volumeName = existing ?? NameGenerator.Generate(VolumeNamePrefix);
        var needsVolume = false;
        foreach (var list in new[] { "initContainers", "containers" })
        {
            foreach (var container in spec.ArrayAt(list)?.OfType<JsonObject>() ?? [])
            {
                var mounts = container.ArrayAt("volumeMounts");
                if (mounts?.Any(m => m.StringAt("mountPath") == TokenMountPath) == true)
                {
                    continue;
                }

                if (mounts is null)
                {
                    mounts = [];
                    container["volumeMounts"] = mounts;
                }

                mounts.Add(new JsonObject { ["mountPath"] = TokenMountPath, ["name"] = volumeName, ["readOnly"] = true });
                needsVolume = true;
            }
        }

        if (existing is null && needsVolume)
        {
            if (volumes is null)
            {
                volumes = [];
                spec["volumes"] = volumes;
            }

            volumes.Add(new JsonObject { ["name"] = volumeName, ["projected"] = TokenVolumeSource() });
        }
    }

    private static StatusException Forbidden(AdmissionAttributes attributes, string detail) =>
        StatusException.Forbidden("", "pods", attributes.Name, detail);
}
