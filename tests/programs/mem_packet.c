// prooflens-test: reading a type-length-value record from a received packet pkt[0 .. len-1]: type (1 byte), payload length (2 bytes, big-endian), payload
// functions: payload_bad (trusts the length field and copies past the end of the packet: the heartbleed pattern), payload (fixed: proved under an inferred \separated), echo_in_place (a caller passing the packet as the output breaks it), handle (copies into a 64-byte local buffer)
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
  //:: proved(memory.overlap)
  memcpy(out, pkt + 3, plen); // under the inferred \separated(out + (0 .. len-1), pkt + (0 .. len-1))
  return plen;
}

int handle(const unsigned char *pkt, int len) {
  unsigned char buf[64];
  int n = payload(pkt, len, buf, sizeof buf);
  if (n <= 0)
    return n;
  return buf[0] + buf[n - 1];
}

int echo_in_place(unsigned char *pkt, int len) {
  //:: refuted(memory.overlap)
  return payload(pkt, len, pkt, len); // e.g. len = 8, pkt = {1, 0, 4, ...}: out and pkt + 3 overlap
}
