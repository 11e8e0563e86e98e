// libp2p 3 uses Promise.withResolvers, which Node 20 lacks (see shared STACK.md).
import '@xinlian/connector/polyfills';
