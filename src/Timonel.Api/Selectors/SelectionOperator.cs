namespace Timonel.Api.Selectors;

/// <summary>The operators of a selector requirement, as apimachinery's selection.Operator.</summary>
public enum SelectionOperator
{
    /// <summary><c>key in (a,b)</c>.</summary>
    In,

    /// <summary><c>key notin (a,b)</c>.</summary>
    NotIn,

    /// <summary><c>key=value</c>.</summary>
    Equals,

    /// <summary><c>key==value</c>.</summary>
    DoubleEquals,

    /// <summary><c>key!=value</c>.</summary>
    NotEquals,

    /// <summary><c>key</c> (the key exists).</summary>
    Exists,

    /// <summary><c>!key</c> (the key does not exist).</summary>
    DoesNotExist,

    /// <summary><c>key&gt;n</c> (integer comparison).</summary>
    GreaterThan,

    /// <summary><c>key&lt;n</c> (integer comparison).</summary>
    LessThan,
}
