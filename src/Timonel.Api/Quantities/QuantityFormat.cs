namespace Timonel.Api.Quantities;

/// <summary>How a quantity is written, remembered from its parsed suffix (resource.Format).</summary>
public enum QuantityFormat
{
    /// <summary>Powers of ten as SI suffixes: <c>12M</c>, <c>200m</c>, <c>1</c>.</summary>
    DecimalSI,

    /// <summary>Powers of two: <c>64Mi</c>, <c>1Gi</c>.</summary>
    BinarySI,

    /// <summary>Decimal exponent: <c>12e6</c>.</summary>
    DecimalExponent,
}
