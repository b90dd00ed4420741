// prooflens-test: reading a type-length-value record from a received packet pkt[0 .. len-1]: type (1 byte), payload length (2 bytes, big-endian), payload
// functions: payload_bad (trusts the length field and copies past the end of the packet: the heartbleed pattern), payload (fixed for separate buffers; out = pkt overlaps), handle (copies into a 64-byte local buffer)
#include <string.h>

int payload_bad(const unsigned char *pkt, int len, unsigned char *out, int cap) {
  if (len < 3)
    return -1;
  int plen = pkt[1] << 8 | pkt[2];
  if (plen > cap)
    return -1;
  //:: refuted(memory.bounds)
  //:: refuted(memory.overlap)
  memcpy(out, pkt + 3, plen); // e.g. pkt = {1, 0, 1}, len = 3: reads pkt[3]
  return plen;
}

int payload(const unsigned char *pkt, int len, unsigned char *out, int cap) {
  if (len < 3)
    return -1;
  int plen = pkt[1] << 8 | pkt[2];
  if (plen > cap || plen > len - 3)
    return -1;
  //:: proved(memory.bounds)
  //:: refuted(memory.overlap)
  memcpy(out, pkt + 3, plen); // e.g. out = pkt, len = 8, plen = 4: overlapping copy
  return plen;
}

int handle(const unsigned char *pkt, int len) {
  unsigned char buf[64];
  int n = payload(pkt, len, buf, sizeof buf);
  if (n <= 0)
    return n;
  return buf[0] + buf[n - 1];
}
