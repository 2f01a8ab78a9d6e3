using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Timonel.Client.Objects;

namespace Timonel.Controllers;

/// <summary>
/// Which objects a controller owns (upstream's BaseControllerRefManager.ClaimObject,
/// pkg/controller/controller_ref_manager.go): those it controls and its selector matches stay; those it controls that
/// stopped matching are released; orphans that match are adopted, never while the owner is being deleted. Adoption and
/// release are strategic merge patches with a uid precondition, so an object replaced meanwhile is left alone.
/// </summary>
internal static class ControllerRefManager
{
    /// <param name="owner">The controller's object.</param>
    /// <param name="reference">The controller reference an adopted object gets.</param>
    /// <param name="adoptable">Orphans that may be adopted besides matching (e.g. only active pods).</param>
    /// <param name="releasable">Owned objects that may be released once they stop matching.</param>
    /// <param name="patchAsync">Sends a patch to one object; false when it is gone or changed (nothing to claim).</param>
    public static async Task<List<T>> ClaimAsync<T>(
        V1ObjectMeta owner,
        V1OwnerReference reference,
        V1LabelSelector? selector,
        IEnumerable<T> candidates,
        Func<T, bool> adoptable,
        Func<T, bool> releasable,
        Func<T, string, Task<bool>> patchAsync)
        where T : IMetadata<V1ObjectMeta>
    {
        var claimed = new List<T>();
        foreach (var obj in candidates)
        {
            var controller = obj.Metadata.OwnerReferences?.FirstOrDefault(o => o.Controller == true);
            var matches = LabelSelectors.Matches(selector, obj.Metadata.Labels);
            if (controller is not null)
            {
                if (controller.Uid != owner.Uid)
                {
                    continue;
                }

                if (matches)
                {
                    claimed.Add(obj);
                }
                else if (owner.DeletionTimestamp is null && releasable(obj))
                {
                    await patchAsync(obj, $$$"""{"metadata":{"ownerReferences":[{"$patch":"delete","uid":"{{{owner.Uid}}}"}],"uid":"{{{obj.Metadata.Uid}}}"}}""").ConfigureAwait(false);
                }

                continue;
            }

            if (!matches || obj.Metadata.DeletionTimestamp is not null || owner.DeletionTimestamp is not null || !adoptable(obj))
            {
                continue;
            }

            if (await patchAsync(obj, $$$"""{"metadata":{"ownerReferences":[{{{KubernetesJson.Serialize(reference)}}}],"uid":"{{{obj.Metadata.Uid}}}"}}""").ConfigureAwait(false))
            {
                claimed.Add(obj);
            }
        }

        return claimed;
    }

    /// <summary>
    /// Sends an adoption or release patch; false if the object went away or changed meanwhile (404, or 422/409 from
    /// the uid precondition), which simply leaves it unclaimed.
    /// </summary>
    public static async Task<bool> PatchAsync(Func<Task> patch)
    {
        try
        {
            await patch().ConfigureAwait(false);
            return true;
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.UnprocessableEntity or HttpStatusCode.Conflict)
        {
            return false;
        }
    }
}
