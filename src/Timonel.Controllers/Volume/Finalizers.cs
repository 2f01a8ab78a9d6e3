namespace Timonel.Controllers.Volume;

/// <summary>The storage protection finalizers (pkg/volume/util: PVCProtectionFinalizer, PVProtectionFinalizer).</summary>
public static class Finalizers
{
    public const string PvcProtection = "kubernetes.io/pvc-protection";

    public const string PvProtection = "kubernetes.io/pv-protection";

    /// <summary>The finalizers with <paramref name="finalizer"/> added or removed; null when nothing changes.</summary>
    public static List<string>? With(IList<string>? finalizers, string finalizer, bool present)
    {
        var has = finalizers?.Contains(finalizer) == true;
        if (has == present)
        {
            return null;
        }

        var list = finalizers?.ToList() ?? [];
        if (present)
        {
            list.Add(finalizer);
        }
        else
        {
            list.RemoveAll(f => f == finalizer);
        }

        return list;
    }
}
