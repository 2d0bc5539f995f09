using System.Runtime.CompilerServices;

namespace RL3.Core.Inner;

/// <summary>
/// An exact-match hash map from fixed-length float vectors to ints, preallocated for a capacity (open addressing,
/// linear probing, keys stored contiguously in insertion order). Lookups and inserts allocate nothing.
/// </summary>
/// <remarks>Keys are compared by their bits, with −0 and +0 treated as equal; callers reject NaN.</remarks>
internal sealed class FloatVectorTable
{
    private readonly int _dimension;
    private readonly int _capacity;
    private readonly float[] _keys;
    private readonly int[] _values;
    private readonly int[] _hashes;
    private readonly int[] _slots;
    private readonly int _mask;
    private int _count;

    public FloatVectorTable(int dimension, int capacity)
    {
        _dimension = dimension;
        _capacity = capacity;
        _keys = new float[(long)dimension * capacity];
        _values = new int[capacity];
        _hashes = new int[capacity];
        int size = 4;
        while (size < 2L * capacity)
        {
            size <<= 1;
        }

        _slots = new int[size];
        _mask = size - 1;
    }

    public int Count => _count;

    public int Capacity => _capacity;

    public int Dimension => _dimension;

    /// <summary>The stored key of entry <paramref name="index"/> (insertion order).</summary>
    public ReadOnlySpan<float> Key(int index) => new(_keys, index * _dimension, _dimension);

    /// <summary>All stored keys, entry after entry.</summary>
    public ReadOnlySpan<float> Keys => new(_keys, 0, _count * _dimension);

    public int Value(int index) => _values[index];

    public void Clear()
    {
        Array.Clear(_slots);
        _count = 0;
    }

    /// <summary>Finds a key; returns its value, or −1.</summary>
    public int Find(ReadOnlySpan<float> key)
    {
        int hash = Hash(key);
        int slot = hash & _mask;
        while (true)
        {
            int entry = _slots[slot] - 1;
            if (entry < 0)
            {
                return -1;
            }

            if (_hashes[entry] == hash && SameBits(Key(entry), key))
            {
                return _values[entry];
            }

            slot = (slot + 1) & _mask;
        }
    }

    /// <summary>Adds a key that is not present (the caller checked with <see cref="Find"/> and for room).</summary>
    public void Add(ReadOnlySpan<float> key, int value)
    {
        int entry = _count++;
        key.CopyTo(_keys.AsSpan(entry * _dimension, _dimension));
        _values[entry] = value;
        int hash = Hash(key);
        _hashes[entry] = hash;
        int slot = hash & _mask;
        while (_slots[slot] != 0)
        {
            slot = (slot + 1) & _mask;
        }

        _slots[slot] = entry + 1;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Bits(float x) => x == 0f ? 0 : BitConverter.SingleToInt32Bits(x);

    private static int Hash(ReadOnlySpan<float> key)
    {
        uint h = 0x9E3779B9u ^ (uint)key.Length;
        foreach (float x in key)
        {
            h = (h ^ (uint)Bits(x)) * 0x85EBCA6Bu;
            h ^= h >> 13;
        }

        h *= 0xC2B2AE35u;
        h ^= h >> 16;
        return (int)(h & 0x7FFFFFFF);
    }

    private static bool SameBits(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        for (int i = 0; i < a.Length; i++)
        {
            if (Bits(a[i]) != Bits(b[i]))
            {
                return false;
            }
        }

        return true;
    }
}
