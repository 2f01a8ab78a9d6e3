using System.Globalization;
using System.Text.Json.Nodes;
using Timonel.Api.Selectors;
using Timonel.Api.Validation;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Endpoints.Subresources;

/// <summary>
/// Evicts a pod, after upstream's EvictionREST (pkg/registry/core/pod/storage/eviction.go): a pod that is terminal,
/// pending or already being deleted is deleted at once; otherwise the PodDisruptionBudget that selects it (when the
/// server serves that kind and one exists) must allow a disruption, which the eviction takes by decrementing
/// status.disruptionsAllowed and recording the pod in status.disruptedPods; then the pod is deleted gracefully with
/// the eviction's DeleteOptions.
/// </summary>
public sealed class PodEviction
{
    /// <summary>MaxDisruptedPodSize: more evictions not yet seen by the disruption controller are refused.</summary>
    public const int MaxDisruptedPods = 2000;

    // EvictionsRetry: 20 steps. Conflicts are retried at once (the store's writes are short).
    private const int Retries = 20;

    private const string DisruptionBudgetCause = "DisruptionBudget";

    // The text both refusals share (createTooManyRequestsError and checkAndDecrement).
    private const string ViolatesBudget = "Cannot evict pod as it would violate the pod's disruption budget.";

    private readonly StoreRegistry _registry;
    private readonly TimeProvider _time;

    public PodEviction(StoreRegistry registry, TimeProvider time)
    {
        _registry = registry;
        _time = time;
    }

    /// <summary>
    /// Evicts pod <paramref name="name"/> as <paramref name="eviction"/> (a policy Eviction, type already checked)
    /// asks; <paramref name="dryRun"/> is the request's dryRun. Throws a StatusException when the pod may not go.
    /// </summary>
    public async Task EvictAsync(string ns, string name, JsonObject eviction, bool dryRun, CancellationToken cancellationToken)
    {
        if (eviction.Name() != name)
        {
            throw StatusException.BadRequest("name in URL does not match name in Eviction object");
        }

        var options = DeleteOptionsOf(eviction, dryRun);
        var pods = _registry.Get("", "pods");
        var retryConflicts = options.PreconditionResourceVersion is null;
        JsonObject pod;
        for (var attempt = 1; ; attempt++)
        {
            pod = await pods.GetAsync(ns, name, cancellationToken);
            if (!CanIgnoreBudget(pod))
            {
                break;
            }

            try
            {
                // A terminal pod already caused its disruption; a pending one has not started: no budget applies. Only
                // a pending pod is deleted at the version read, so it cannot turn ready meanwhile unnoticed.
                var terminal = IsTerminal(pod) || pod.DeletionTimestamp() is not null;
                await pods.DeleteAsync(ns, name, terminal || !retryConflicts ? options : options with { PreconditionResourceVersion = pod.ResourceVersion() }, cancellationToken);
                return;
            }
            catch (StatusException ex) when (ex.Reason == "Conflict" && retryConflicts && attempt < Retries)
            {
            }
        }

        var budget = await BudgetOfAsync(pod, cancellationToken);
        var deleteAtVersionRead = false;
        if (budget is not null)
        {
            var status = budget.ObjectAt("status");
            var currentHealthy = status?.LongAt("currentHealthy") ?? 0;
            var desiredHealthy = status?.LongAt("desiredHealthy") ?? 0;
            // An unready pod does not count towards healthy: while enough others are, it goes without taking a
            // disruption, provided it is still unready when deleted.
            if (!PodConditions.IsReady(pod) && currentHealthy >= desiredHealthy && desiredHealthy > 0)
            {
                deleteAtVersionRead = true;
            }
            else
            {
                await TakeDisruptionAsync(budget, name, options.DryRun, cancellationToken);
            }
        }

        try
        {
            await pods.DeleteAsync(ns, name, deleteAtVersionRead ? options with { PreconditionResourceVersion = pod.ResourceVersion() } : options, cancellationToken);
        }
        catch (StatusException ex) when (ex.Reason == "Conflict" && deleteAtVersionRead && retryConflicts)
        {
            // The pod changed (it may have turned ready): the client is to try again.
            throw TooManyRequests(budget!.Name()!);
        }
    }

    /// <summary>The eviction's DeleteOptions, with the request's dryRun carried in (propagateDryRun).</summary>
    private static DeleteOptions DeleteOptionsOf(JsonObject eviction, bool dryRun)
    {
        var requested = eviction["deleteOptions"] is { } body ? DeleteOptionsBody.Decode(body, "v1") : new RequestedDeleteOptions();
        if (requested.DryRun is not { Count: > 0 })
        {
            requested = requested with { DryRun = dryRun ? ["All"] : null };
        }
        else if (dryRun && !requested.DryRun.SequenceEqual(["All"]))
        {
            throw StatusException.BadRequest($"Non-matching dry-run options in request and content: [All] and [{string.Join(' ', requested.DryRun)}]");
        }

        var errors = requested.Validate();
        return errors.Count > 0 ? throw StatusException.Invalid("meta.k8s.io", "DeleteOptions", "", errors) : requested.ToStoreOptions();
    }

    private static bool IsTerminal(JsonObject pod) => pod.StringAt("status", "phase") is "Succeeded" or "Failed";

    // canIgnorePDB.
    private static bool CanIgnoreBudget(JsonObject pod) =>
        IsTerminal(pod) || pod.StringAt("status", "phase") == "Pending" || pod.DeletionTimestamp() is not null;

    /// <summary>
    /// The one budget selecting the pod, or null (none, or the server does not serve budgets); several are refused
    /// as upstream refuses them: a 500 Status without a reason.
    /// </summary>
    private async Task<JsonObject?> BudgetOfAsync(JsonObject pod, CancellationToken cancellationToken)
    {
        if (Budgets() is not { } budgets)
        {
            return null;
        }

        var list = await budgets.ListAsync(pod.Namespace(), ListQuery.All, cancellationToken);
        var labels = pod.Labels();
        var matching = list["items"]!.AsArray().Objects().Where(budget => Selects(budget, labels)).ToList();
        return matching.Count switch
        {
            0 => null,
            1 => matching[0],
            _ => throw new StatusException(500, "", "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support."),
        };
    }

    private GenericStore? Budgets() => _registry.Find("policy", "v1", "poddisruptionbudgets");

    // A budget with an invalid selector matches nothing; so does a nil or empty one (not everything).
    private static bool Selects(JsonObject budget, IReadOnlyDictionary<string, string> labels)
    {
        try
        {
            var selector = LabelSelector.FromLabelSelectorJson(budget.ObjectAt("spec", "selector"));
            return !selector.IsEmpty && selector.Matches(labels);
        }
        catch (Exception ex) when (ex is SelectorParseException or FormatException)
        {
            return false;
        }
    }

    /// <summary>checkAndDecrement on the current budget, written through its status; the store retries conflicts.</summary>
    private async Task TakeDisruptionAsync(JsonObject budget, string podName, bool dryRun, CancellationToken cancellationToken)
    {
        var budgets = Budgets()!;
        await budgets.GuaranteedUpdateAsync(budget.Namespace(), budget.Name()!, current =>
        {
            Decrement(current, podName, _time.GetUtcNow());
            return current;
        }, new StatusStrategy(budgets.Definition.Strategy), dryRun, cancellationToken);
    }

    /// <summary>
    /// Takes one allowed disruption from <paramref name="budget"/> for <paramref name="podName"/>, or throws why not:
    /// 429 while the controller has not seen the budget's last change or none is allowed, 403 for a broken budget.
    /// </summary>
    public static void Decrement(JsonObject budget, string podName, DateTimeOffset now)
    {
        var name = budget.Name()!;
        var status = budget.Child("status");
        if ((status.LongAt("observedGeneration") ?? 0) < (budget.LongAt("metadata", "generation") ?? 0))
        {
            throw TooManyRequests(name);
        }

        var allowed = status.LongAt("disruptionsAllowed") ?? 0;
        if (allowed < 0)
        {
            throw StatusException.Forbidden("policy", "poddisruptionbudget", name, "pdb disruptions allowed is negative");
        }

        if (status["disruptedPods"] is JsonObject { Count: > MaxDisruptedPods })
        {
            throw StatusException.Forbidden("policy", "poddisruptionbudget", name, "DisruptedPods map too big - too many evictions not confirmed by PDB controller");
        }

        if (allowed == 0)
        {
            var desired = status.LongAt("desiredHealthy") ?? 0;
            var current = status.LongAt("currentHealthy") ?? 0;
            throw new StatusException(429, "TooManyRequests", ViolatesBudget, causes: [new StatusCause(DisruptionBudgetCause, $"The disruption budget {name} needs {desired} healthy pods and has {current} currently", "")]);
        }

        status["disruptionsAllowed"] = allowed - 1;
        if (allowed - 1 == 0)
        {
            SetDisruptionAllowedFalse(status, now);
        }

        if (status["disruptedPods"] is not JsonObject disrupted)
        {
            disrupted = [];
            status["disruptedPods"] = disrupted;
        }

        disrupted[podName] = ObjectMetadata.FormatTimestamp(now);
    }

    // pdbhelper.UpdateDisruptionAllowedCondition with none left: DisruptionAllowed=False, reason InsufficientPods,
    // set as meta.SetStatusCondition sets it (a new transition time only when the status changes).
    private static void SetDisruptionAllowedFalse(JsonObject status, DateTimeOffset now)
    {
        if (status["conditions"] is not JsonArray conditions)
        {
            conditions = [];
            status["conditions"] = conditions;
        }

        var observedGeneration = status.LongAt("observedGeneration") ?? 0;
        var existing = conditions.Objects().FirstOrDefault(c => c.StringAt("type") == "DisruptionAllowed");
        if (existing is null)
        {
            conditions.Add(new JsonObject
            {
                ["type"] = "DisruptionAllowed",
                ["status"] = "False",
                ["observedGeneration"] = observedGeneration,
                ["lastTransitionTime"] = ObjectMetadata.FormatTimestamp(now),
                ["reason"] = "InsufficientPods",
                ["message"] = "",
            });
            return;
        }

        if (existing.StringAt("status") != "False")
        {
            existing["status"] = "False";
            existing["lastTransitionTime"] = ObjectMetadata.FormatTimestamp(now);
        }

        existing["reason"] = "InsufficientPods";
        existing["observedGeneration"] = observedGeneration;
    }

    // createTooManyRequestsError: retry in 10 seconds, the budget still being processed.
    private static StatusException TooManyRequests(string budget) =>
        new(429, "TooManyRequests", ViolatesBudget, causes: [new StatusCause(DisruptionBudgetCause, $"The disruption budget {budget} is still being processed by the server.", "")], retryAfterSeconds: 10);
}
