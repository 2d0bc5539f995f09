using System.Buffers;
using System.Runtime.CompilerServices;

namespace RL3.Core.Nn;

/// <summary>
/// A dense, row-major float32 tensor of rank 1 to 4 whose storage is rented from <see cref="ArrayPool{T}"/>.
/// </summary>
/// <remarks>
/// <para>
/// Layout is batch-first and row-major: the last dimension is contiguous ("features"), and every
/// tensor can be viewed as a matrix of <see cref="Rows"/> × <see cref="Columns"/> where
/// <see cref="Columns"/> is the last dimension and <see cref="Rows"/> the product of the others.
/// A <c>[batch, time, features]</c> tensor is therefore also a <c>[batch·time, features]</c> matrix,
/// which is how every module consumes it.
/// </para>
/// <para>
/// Ownership: whoever creates a tensor disposes it; <see cref="Dispose"/> returns the buffer to the pool
/// and makes the tensor unusable. Tensors returned by <c>Module.Forward</c> / <c>Module.Backward</c> are
/// owned by the module and must not be disposed by the caller.
/// </para>
/// <para>Instances are not thread-safe.</para>
/// </remarks>
public sealed class NnTensor : IDisposable
{
    /// <summary>The largest supported rank.</summary>
    public const int MaxRank = 4;

    private float[] _data;
    private int _d0, _d1, _d2, _d3;
    private int _rank;
    private int _length;

    /// <summary>Creates a zero-filled tensor of the given shape.</summary>
    /// <param name="shape">One to four non-negative dimensions.</param>
    /// <exception cref="ArgumentException">The rank is not 1 to 4, a dimension is negative, or the element count overflows.</exception>
    public NnTensor(params ReadOnlySpan<int> shape)
    {
        SetShapeFields(shape, nameof(shape));
        _data = _length == 0 ? [] : ArrayPool<float>.Shared.Rent(_length);
        _data.AsSpan(0, _length).Clear();
    }

    /// <summary>Creates a tensor of the given shape holding a copy of <paramref name="values"/>.</summary>
    /// <param name="values">The row-major values; length must equal the product of <paramref name="shape"/>.</param>
    /// <param name="shape">One to four non-negative dimensions.</param>
    /// <returns>The new tensor.</returns>
    public static NnTensor FromValues(ReadOnlySpan<float> values, params ReadOnlySpan<int> shape)
    {
        var t = new NnTensor(shape);
        if (values.Length != t._length)
        {
            t.Dispose();
            throw new ArgumentException($"values has {values.Length} elements but shape [{string.Join(", ", shape.ToArray())}] needs {t._length}.", nameof(values));
        }

        values.CopyTo(t.Span);
        return t;
    }

    /// <summary>The number of dimensions (1 to 4).</summary>
    public int Rank => _rank;

    /// <summary>The total number of elements.</summary>
    public int Length => _length;

    /// <summary>The size of the last dimension (the contiguous, "feature" dimension).</summary>
    public int Columns => _rank switch { 1 => _d0, 2 => _d1, 3 => _d2, _ => _d3 };

    /// <summary>The product of all dimensions but the last (1 for a rank-1 tensor).</summary>
    public int Rows => _rank switch { 1 => 1, 2 => _d0, 3 => _d0 * _d1, _ => _d0 * _d1 * _d2 };

    /// <summary>Whether <see cref="Dispose"/> has been called.</summary>
    public bool IsDisposed => _rank == 0;

    /// <summary>The elements in row-major order.</summary>
    /// <exception cref="ObjectDisposedException">The tensor was disposed.</exception>
    public Span<float> Span
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            ThrowIfDisposed();
            return new Span<float>(_data, 0, _length);
        }
    }

    /// <summary>The shape as a new array (allocates; use <see cref="Dim"/> on hot paths).</summary>
    public int[] Shape => _rank switch
    {
        0 => [],
        1 => [_d0],
        2 => [_d0, _d1],
        3 => [_d0, _d1, _d2],
        _ => [_d0, _d1, _d2, _d3],
    };

    /// <summary>Element (<paramref name="row"/>, <paramref name="column"/>) of the <see cref="Rows"/> × <see cref="Columns"/> matrix view.</summary>
    /// <param name="row">The row, in [0, <see cref="Rows"/>).</param>
    /// <param name="column">The column, in [0, <see cref="Columns"/>).</param>
    public ref float this[int row, int column]
    {
        get
        {
            int cols = Columns;
            if ((uint)column >= (uint)cols || (uint)row >= (uint)Rows)
            {
                ThrowIndex(row, column);
            }

            return ref Span[(row * cols) + column];
        }
    }

    /// <summary>Returns dimension <paramref name="axis"/> (negative values count from the end).</summary>
    /// <param name="axis">The axis, in [-Rank, Rank).</param>
    /// <returns>The size of that dimension.</returns>
    public int Dim(int axis)
    {
        ThrowIfDisposed();
        if (axis < 0)
        {
            axis += _rank;
        }

        if ((uint)axis >= (uint)_rank)
        {
            throw new ArgumentOutOfRangeException(nameof(axis), axis, $"axis must be in [-{_rank}, {_rank}) for a rank-{_rank} tensor.");
        }

        return axis switch { 0 => _d0, 1 => _d1, 2 => _d2, _ => _d3 };
    }

    /// <summary>Row <paramref name="row"/> of the matrix view.</summary>
    /// <param name="row">The row, in [0, <see cref="Rows"/>).</param>
    /// <returns>The <see cref="Columns"/> elements of that row.</returns>
    public Span<float> Row(int row)
    {
        if ((uint)row >= (uint)Rows)
        {
            throw new ArgumentOutOfRangeException(nameof(row), row, $"row must be in [0, {Rows}).");
        }

        int cols = Columns;
        return Span.Slice(row * cols, cols);
    }

    /// <summary>Whether this tensor has exactly the given shape.</summary>
    /// <param name="shape">The shape to compare with.</param>
    /// <returns><see langword="true"/> when rank and every dimension agree.</returns>
    public bool HasShape(params ReadOnlySpan<int> shape)
    {
        ThrowIfDisposed();
        if (shape.Length != _rank)
        {
            return false;
        }

        for (int i = 0; i < shape.Length; i++)
        {
            if (shape[i] != Dim(i))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether this tensor has the same shape as <paramref name="other"/>.</summary>
    /// <param name="other">The other tensor.</param>
    /// <returns><see langword="true"/> when the shapes are equal.</returns>
    public bool SameShape(NnTensor other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return other._rank == _rank && other._d0 == _d0 && other._d1 == _d1 && other._d2 == _d2 && other._d3 == _d3;
    }

    /// <summary>
    /// Changes the shape, keeping the buffer when it is large enough (contents are then unspecified) and
    /// renting a larger one otherwise. Used by modules for their reusable output and cache buffers.
    /// </summary>
    /// <param name="shape">The new shape (one to four dimensions).</param>
    public void Resize(params ReadOnlySpan<int> shape)
    {
        ThrowIfDisposed();
        SetShapeFields(shape, nameof(shape));
        if (_data.Length < _length)
        {
            ReturnBuffer();
            _data = ArrayPool<float>.Shared.Rent(_length);
        }
    }

    /// <summary>Resizes this tensor to the shape of <paramref name="other"/> with the last dimension replaced by <paramref name="columns"/>.</summary>
    /// <param name="other">The tensor whose leading dimensions are copied.</param>
    /// <param name="columns">The new last dimension.</param>
    public void ResizeLike(NnTensor other, int columns)
    {
        ArgumentNullException.ThrowIfNull(other);
        other.ThrowIfDisposed();
        Span<int> shape = stackalloc int[other._rank];
        for (int i = 0; i < shape.Length; i++)
        {
            shape[i] = other.Dim(i);
        }

        shape[^1] = columns;
        Resize(shape);
    }

    /// <summary>Reinterprets the same elements with another shape of equal element count (no copy).</summary>
    /// <param name="shape">The new shape.</param>
    /// <exception cref="ArgumentException">The element counts differ.</exception>
    public void Reshape(params ReadOnlySpan<int> shape)
    {
        ThrowIfDisposed();
        int old = _length;
        (int d0, int d1, int d2, int d3, int rank) = (_d0, _d1, _d2, _d3, _rank);
        SetShapeFields(shape, nameof(shape));
        if (_length != old)
        {
            (_d0, _d1, _d2, _d3, _rank, _length) = (d0, d1, d2, d3, rank, old);
            throw new ArgumentException($"Cannot reshape {old} elements to [{string.Join(", ", shape.ToArray())}].", nameof(shape));
        }
    }

    /// <summary>Sets every element to zero.</summary>
    public void Clear() => Span.Clear();

    /// <summary>Sets every element to <paramref name="value"/>.</summary>
    /// <param name="value">The value.</param>
    public void Fill(float value) => Span.Fill(value);

    /// <summary>Copies this tensor's elements into <paramref name="destination"/>, which must have the same shape.</summary>
    /// <param name="destination">The destination tensor.</param>
    public void CopyTo(NnTensor destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (!SameShape(destination))
        {
            throw new ArgumentException($"destination has shape {destination.ShapeString()} but the source has {ShapeString()}.", nameof(destination));
        }

        Span.CopyTo(destination.Span);
    }

    /// <summary>Returns a new tensor (owned by the caller) with the same shape and elements.</summary>
    /// <returns>The copy.</returns>
    public NnTensor Clone()
    {
        var t = new NnTensor(Shape);
        Span.CopyTo(t.Span);
        return t;
    }

    /// <summary>The shape as text, for example <c>[64, 17]</c>.</summary>
    /// <returns>The shape string.</returns>
    public string ShapeString() => "[" + string.Join(", ", Shape) + "]";

    /// <inheritdoc/>
    public override string ToString() => $"NnTensor{ShapeString()}";

    /// <summary>Returns the buffer to the pool. Idempotent.</summary>
    public void Dispose()
    {
        if (_rank == 0)
        {
            return;
        }

        ReturnBuffer();
        _data = [];
        _rank = 0;
        _length = 0;
    }

    private void ReturnBuffer()
    {
        if (_data.Length > 0)
        {
            ArrayPool<float>.Shared.Return(_data);
        }
    }

    private void SetShapeFields(ReadOnlySpan<int> shape, string paramName)
    {
        if (shape.Length is < 1 or > MaxRank)
        {
            throw new ArgumentException($"A tensor has 1 to {MaxRank} dimensions; got {shape.Length}.", paramName);
        }

        long length = 1;
        for (int i = 0; i < shape.Length; i++)
        {
            if (shape[i] < 0)
            {
                throw new ArgumentException($"Dimension {i} is negative ({shape[i]}).", paramName);
            }

            length *= shape[i];
            if (length > Array.MaxLength)
            {
                throw new ArgumentException($"The shape [{string.Join(", ", shape.ToArray())}] has too many elements.", paramName);
            }
        }

        _rank = shape.Length;
        _d0 = shape[0];
        _d1 = shape.Length > 1 ? shape[1] : 0;
        _d2 = shape.Length > 2 ? shape[2] : 0;
        _d3 = shape.Length > 3 ? shape[3] : 0;
        _length = (int)length;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void ThrowIfDisposed()
    {
        if (_rank == 0)
        {
            ThrowDisposed();
        }
    }

    private static void ThrowDisposed() => throw new ObjectDisposedException(nameof(NnTensor));

    private void ThrowIndex(int row, int column) =>
        throw new ArgumentOutOfRangeException(nameof(row), $"Index ({row}, {column}) is outside the {Rows} x {Columns} matrix view.");
}
