using k8s.Models;

namespace Timonel.Scheduler.Framework;

/// <summary>Quantities as integers, rounded up as apimachinery's Value() and MilliValue().</summary>
internal static class Quantities
{
    public static long Value(ResourceQuantity quantity) => Ceiling(quantity.ToDecimal());

    public static long MilliValue(ResourceQuantity quantity) => Ceiling(quantity.ToDecimal() * 1000m);

    private static long Ceiling(decimal value)
    {
        var ceiling = decimal.Ceiling(value);
        return ceiling >= long.MaxValue ? long.MaxValue : ceiling <= long.MinValue ? long.MinValue : (long)ceiling;
    }
}
